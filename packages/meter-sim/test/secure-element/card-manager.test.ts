import { describe, expect, it } from 'vitest';
import { makeWorld, probeSource, BILLING_SOURCE } from './fixture';
import { appletCommand, collectCommand, hydraAid, selectCommand } from '../../src/secure-element/index';
import { parseAppletResponse, parseCollectResponse } from '../../src/secure-element/commands';

describe('card manager: load, install, select, applet commands over SCP11b', () => {
  it('loads a signed package, installs it and runs an applet command under level 33', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    const source = probeSource();
    const responses = world.load(host, 'supplier', 'probe', world.loadFile('supplier', source), source);
    expect(responses.map((r) => r.sw.toString(16))).toEqual(responses.map(() => '9000'));
    expect(world.install(host, 'probe', 'probe').sw).toBe(0x9000);
    expect(host.send(selectCommand(hydraAid('applet', 'probe'))).sw).toBe(0x9000);
    expect(host.send(appletCommand('put', { key: 'a', value: 42 })).sw).toBe(0x9000);
    const got = host.send(appletCommand('get', { key: 'a' }));
    expect(parseAppletResponse(got.data)).toEqual({ value: 42, version: '1.0.0' });
    host.send(appletCommand('emit', { n: 7 }));
    const collected = host.send(collectCommand());
    expect(parseCollectResponse(collected.data)).toEqual([{ messageClass: 'probe-event', body: { n: 7 } }]);
    expect(parseCollectResponse(host.send(collectCommand()).data)).toEqual([]);
    void BILLING_SOURCE;
  });
});
