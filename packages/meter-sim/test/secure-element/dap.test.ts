import { describe, expect, it } from 'vitest';
import { generateKeyPair, hexToBytes } from '@hydra/globalplatform';
import { makeWorld, probeSource, secureRandom } from './fixture';
import { appletSourceHash, buildLoadFile, hydraAid, installForLoadCommand, loadCommands, signAppletSource } from '../../src/secure-element/index';

describe('GP §9.2.1 DAP verification on LOAD', () => {
  const source = probeSource();

  it('refuses a tampered package (data block no longer matches the announced hash: 6A80) and leaves the registry unchanged', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    const signature = signAppletSource(source, world.publishers.supplier.privateKey);
    const tampered = source.replace("'put'", "'PUT'");
    const before = structuredClone(world.se.state.registry);
    const responses = world.load(host, 'supplier', 'probe', buildLoadFile(tampered, [{ sdAid: hexToBytes(world.sdAid('supplier')), signature }]), source);
    expect(responses.at(-1)?.sw).toBe(0x6a80);
    expect(world.se.state.registry).toEqual(before);
  });

  it('refuses a tampered package re-hashed by the attacker (signature no longer verifies: 6982) and records a DAP refusal', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    const signature = signAppletSource(source, world.publishers.supplier.privateKey);
    const tampered = source.replace("'put'", "'PUT'");
    const before = structuredClone(world.se.state.registry);
    const responses = world.load(host, 'supplier', 'probe', buildLoadFile(tampered, [{ sdAid: hexToBytes(world.sdAid('supplier')), signature }]), tampered);
    expect(responses.at(-1)?.sw).toBe(0x6982);
    expect(world.se.state.registry).toEqual(before);
    expect(world.se.state.events.at(-1)).toMatchObject({ kind: 'dap.refused', actor: world.sdAid('supplier'), target: appletSourceHash(tampered) });
  });

  it('refuses an unsigned package and one signed by another publisher (6982)', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    const before = structuredClone(world.se.state.registry);
    expect(world.load(host, 'supplier', 'probe', world.loadFile('supplier', source, { unsigned: true }), source).at(-1)?.sw).toBe(0x6982);
    expect(world.load(host, 'supplier', 'probe', world.loadFile('supplier', source, { signer: world.publishers.dno.privateKey }), source).at(-1)?.sw).toBe(0x6982);
    expect(world.load(host, 'supplier', 'probe', world.loadFile('supplier', source, { signer: generateKeyPair(secureRandom).privateKey }), source).at(-1)?.sw).toBe(0x6982);
    // A DAP block for another domain does not count for this one.
    const elsewhere = buildLoadFile(source, [{ sdAid: hexToBytes(world.sdAid('dno')), signature: signAppletSource(source, world.publishers.supplier.privateKey) }]);
    expect(world.load(host, 'supplier', 'probe', elsewhere, source).at(-1)?.sw).toBe(0x6982);
    expect(world.se.state.registry).toEqual(before);
  });

  it('refuses a load file that is not DAP blocks followed by one C4 data block (6A80)', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    host.send(installForLoadCommand({ elfAid: hydraAid('elf', 'junk'), hash: appletSourceHash(source) }));
    const [only] = loadCommands(Uint8Array.of(0xc4, 0x05, 1, 2), 200);
    expect(host.send(only!).sw).toBe(0x6a80);
    expect(world.se.state.registry.loadFiles).toEqual({});
  });

  it('accepts the correctly signed package', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    expect(world.load(host, 'supplier', 'probe', world.loadFile('supplier', source), source).at(-1)?.sw).toBe(0x9000);
    expect(world.se.state.registry.loadFiles[hydraAid('elf', 'probe')]?.hash).toBe(appletSourceHash(source));
  });
});
