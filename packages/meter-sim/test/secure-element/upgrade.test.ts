import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '@hydra/globalplatform';
import { makeWorld, probeSource, secureRandom } from './fixture';
import { appletCommand, collectCommand, hydraAid, parseAppletResponse, parseCollectResponse, selectCommand } from '../../src/secure-element/index';

const PROBE = hydraAid('applet', 'probe');
const ELF = hydraAid('elf', 'probe');

function runningV1() {
  const world = makeWorld();
  const host = world.open('supplier');
  const v1 = probeSource({ version: '1.2.0' });
  world.load(host, 'supplier', 'probe', world.loadFile('supplier', v1), v1);
  world.install(host, 'probe', 'probe');
  host.send(selectCommand(PROBE));
  host.send(appletCommand('put', { key: 'meter-reading', value: 12345 }));
  host.send(appletCommand('emit', { n: 9 }));
  const admin = world.open('supplier');
  return { world, host, admin };
}

function read(host: ReturnType<typeof runningV1>['host']) {
  host.send(selectCommand(PROBE));
  return parseAppletResponse(host.send(appletCommand('get', { key: 'meter-reading' })).data);
}

describe('software update: a newer signed version replaces the load file, instances keep their data (ELF upgrade)', () => {
  it('moves the instance to 1.3.0 with its storage and outbox carried over', () => {
    const { world, host, admin } = runningV1();
    const v2 = probeSource({ version: '1.3.0' });
    const responses = world.load(admin, 'supplier', 'probe', world.loadFile('supplier', v2), v2);
    expect(responses.at(-1)?.sw).toBe(0x9000);
    expect(world.se.state.registry.loadFiles[ELF]?.manifest.version).toBe('1.3.0');
    expect(world.se.state.registry.applets[PROBE]).toMatchObject({ version: '1.3.0', lifecycle: 'SELECTABLE' });
    expect(read(host)).toEqual({ value: 12345, version: '1.3.0' });
    expect(parseCollectResponse(host.send(collectCommand()).data)).toEqual([{ messageClass: 'probe-event', body: { n: 9 } }]);
    expect(world.se.state.events.some((event) => event.kind === 'management.upgraded')).toBe(true);
  });

  const failures: [string, (world: ReturnType<typeof runningV1>['world']) => { source: string; bytes: Uint8Array }, number][] = [
    ['a wrong signature', (world) => {
      const source = probeSource({ version: '2.0.0' });
      return { source, bytes: world.loadFile('supplier', source, { signer: generateKeyPair(secureRandom).privateKey }) };
    }, 0x6982],
    ['a downgrade', (world) => {
      const source = probeSource({ version: '1.1.9' });
      return { source, bytes: world.loadFile('supplier', source) };
    }, 0x6985],
    ['the same version again', (world) => {
      const source = probeSource({ version: '1.2.0' }).replace("'put'", "'put'") + '\n// rebuilt';
      return { source, bytes: world.loadFile('supplier', source) };
    }, 0x6985],
    ['a factory that throws', (world) => {
      const source = probeSource({ version: '2.0.0', failFactory: true });
      return { source, bytes: world.loadFile('supplier', source) };
    }, 0x6a80],
    ['another applet under the same load file AID', (world) => {
      const source = probeSource({ version: '9.0.0', id: 'impostor' });
      return { source, bytes: world.loadFile('supplier', source) };
    }, 0x6a80],
  ];

  for (const [name, make, sw] of failures) {
    it(`leaves the old version running with its data intact after ${name} (${sw.toString(16).toUpperCase()})`, () => {
      const { world, host, admin } = runningV1();
      const registry = structuredClone(world.se.state.registry);
      const { source, bytes } = make(world);
      const responses = world.load(admin, 'supplier', 'probe', bytes, source);
      expect(responses.at(-1)?.sw).toBe(sw);
      expect(world.se.state.registry).toEqual(registry);
      expect(read(host)).toEqual({ value: 12345, version: '1.2.0' });
    });
  }
});
