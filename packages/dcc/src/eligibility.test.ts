import { describe, expect, it } from 'vitest';
import { downlinkRefusal, uplinkRefusal } from './eligibility';

describe('eligible roles per message class', () => {
  it('lets only the supplier change a tariff, and only on its own applet', () => {
    expect(downlinkRefusal('supplier', 'billing', 'set-tariff')).toBeNull();
    expect(downlinkRefusal('dno', 'billing', 'set-tariff')).toMatch(/only supplier/);
    expect(downlinkRefusal('telecare', 'billing', 'set-tariff')).toMatch(/only supplier/);
  });

  it('lets only the DNO send load control', () => {
    expect(downlinkRefusal('dno', 'load-control', 'load-control')).toBeNull();
    expect(downlinkRefusal('supplier', 'load-control', 'load-control')).toMatch(/only dno/);
  });

  it('lets a party collect only from applets it owns', () => {
    expect(downlinkRefusal('supplier', 'billing', 'collect')).toBeNull();
    expect(downlinkRefusal('telecare', 'billing', 'collect')).toMatch(/owner/);
    expect(downlinkRefusal('supplier', 'telecare', 'collect')).toMatch(/owner/);
  });

  it('lets a party set up a session and send applet commands only to its own domain and applets', () => {
    for (const messageClass of ['session-setup', 'applet-command']) {
      expect(downlinkRefusal('supplier', 'billing', messageClass)).toBeNull();
      expect(downlinkRefusal('dno', 'billing', messageClass)).toMatch(/only supplier/);
      expect(downlinkRefusal('telecare', 'billing', messageClass)).toMatch(/only supplier/);
    }
    expect(uplinkRefusal('supplier', 'billing', 'session-setup-response')).toBeNull();
    expect(uplinkRefusal('dno', 'billing', 'session-setup-response')).toMatch(/answers only to supplier/);
  });

  it('refuses unknown applets and classes', () => {
    expect(downlinkRefusal('supplier', 'spyware', 'collect')).toMatch(/no published applet/);
    expect(downlinkRefusal('supplier', 'billing', 'read-everything')).toMatch(/not a downlink/);
    expect(uplinkRefusal('supplier', 'billing', 'collect-response')).toBeNull();
    expect(uplinkRefusal('dno', 'billing', 'collect-response')).toMatch(/answers only to supplier/);
    expect(uplinkRefusal('supplier', 'billing', 'raw-reads')).toMatch(/not an uplink/);
  });
});
