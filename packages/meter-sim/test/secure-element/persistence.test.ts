import { describe, expect, it } from 'vitest';
import { compile, makeWorld, probeSource, secureRandom } from './fixture';
import { appletCommand, HostChannel, hydraAid, parseAppletResponse, restoreSecureElement, selectCommand } from '../../src/secure-element/index';

const PROBE = hydraAid('applet', 'probe');

describe('persistence (DESIGN.md Decision 6): serialize → restore', () => {
  it('restores registry, applet storage and the open session; the host resumes with its stored session', () => {
    const world = makeWorld();
    const host = world.open('supplier', 'supplier-main');
    const source = probeSource();
    world.load(host, 'supplier', 'probe', world.loadFile('supplier', source), source);
    world.install(host, 'probe', 'probe');
    host.send(selectCommand(PROBE));
    host.send(appletCommand('put', { key: 'k', value: 'before restart' }));
    const stored = world.se.serialize();
    const hostSession = JSON.parse(JSON.stringify(host.session)) as typeof host.session;
    expect(JSON.parse(stored)).toEqual(world.se.state);

    const restored = restoreSecureElement(stored, { random: secureRandom, now: () => world.clock.now, compile });
    expect(restored.state).toEqual(world.se.state);
    expect(restored.env.instances.size).toBe(0); // compartments are rebuilt on first use
    const resumed = new HostChannel(restored, 'supplier-main', hostSession);
    expect(parseAppletResponse(resumed.send(appletCommand('get', { key: 'k' })).data)).toEqual({ value: 'before restart', version: '1.0.0' });
    expect(restored.env.instances.size).toBe(1);
    resumed.send(appletCommand('put', { key: 'k', value: 'after restart' }));
    expect(restored.state.registry.applets[PROBE]?.storage).toEqual({ k: 'after restart' });
  });

  it('refuses a state of another kind or version', () => {
    expect(() => restoreSecureElement('{"kind":"other"}', { random: secureRandom, now: () => 0, compile })).toThrow(TypeError);
  });

  it('draws every key from the injected random source: two meters never share keys', () => {
    const a = makeWorld().se.state.registry.domains;
    const b = makeWorld().se.state.registry.domains;
    for (const aid of Object.keys(a)) {
      expect(a[aid]?.scp11.privateKey).not.toBe(b[aid]?.scp11.privateKey);
      expect(a[aid]?.scp03.enc).not.toBe(b[aid]?.scp03.enc);
    }
  });
});
