// The card manager and optional applets (DESIGN.md "Optional applets need consent"): a package whose
// manifest says `consent: 'householder'` is loaded only with a consent token the householder signed,
// checked against the key personalised into the issuer security domain; the card manager deletes it
// only with a signed withdrawal, and deleting it ends its domain's sessions.
import { bytesToHex, generateKeyPair, signMessage, utf8ToBytes } from '@hydra/globalplatform';
import { describe, expect, it } from 'vitest';
import {
  deleteCommand,
  encodeHouseholderToken,
  hydraAid,
  installForInstallCommand,
  installForLoadCommand,
  loadCommands,
  appletSourceHash,
  storeDataCommands,
} from '../../src/secure-element/index';
import { makeWorld, probeSource, secureRandom as random, type World } from './fixture';

const householder = generateKeyPair(random);
const SERVICE = 'care';
const source = probeSource({ id: SERVICE, owner: 'telecare' }).replace("description: 'test applet'", "description: 'test applet', consent: 'householder'").replace('"description":"test applet"', '"description":"test applet","consent":"householder"');

function token(fields: Record<string, unknown>, key = householder.privateKey): Uint8Array {
  const document = JSON.stringify(Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1))));
  return encodeHouseholderToken(document, bytesToHex(signMessage(utf8ToBytes(document), key)));
}

function personalised(): World {
  const world = makeWorld();
  const isd = world.openIssuer();
  for (const command of storeDataCommands({ householderKey: bytesToHex(householder.publicKey), meterId: 'meter-1' })) expect(isd.send(command).sw).toBe(0x9000);
  return world;
}

function load(world: World, party: 'telecare', parameters?: Uint8Array, via = world.open(party)) {
  const bytes = world.loadFile('telecare', source);
  const answers = [via.send(installForLoadCommand({ elfAid: hydraAid('elf', SERVICE), sdAid: world.sdAid('telecare'), hash: appletSourceHash(source), ...(parameters ? { parameters } : {}) })).sw];
  for (const command of loadCommands(bytes)) answers.push(via.send(command).sw);
  return { answers, via };
}

describe('card manager: optional applets need the householder', () => {
  it("refuses to keep the package without a consent token, even from the service's own domain (6982, recorded)", () => {
    const world = personalised();
    const { answers } = load(world, 'telecare');
    expect(answers.at(-1)).toBe(0x6982);
    expect(world.se.state.registry.loadFiles).toEqual({});
    expect(world.se.state.events.at(-1)).toMatchObject({ kind: 'firewall.consent-refused' });
  });

  it('refuses a token signed by another key, for another meter, service or decision — at INSTALL [for load], before any block', () => {
    const world = personalised();
    const stranger = generateKeyPair(random).privateKey;
    for (const bad of [
      token({ decision: 'consent', service: SERVICE, meterId: 'meter-1', sequence: 1 }, stranger),
      token({ decision: 'consent', service: SERVICE, meterId: 'meter-2', sequence: 1 }),
      token({ decision: 'withdraw', service: SERVICE, meterId: 'meter-1', sequence: 1 }),
    ]) {
      const via = world.open('telecare');
      expect(via.send(installForLoadCommand({ elfAid: hydraAid('elf', SERVICE), sdAid: world.sdAid('telecare'), hash: appletSourceHash(source), parameters: bad })).sw).toBe(0x6982);
    }
    // For another service the token verifies at INSTALL [for load], but the package it came with is not that service.
    expect(load(world, 'telecare', token({ decision: 'consent', service: 'other', meterId: 'meter-1', sequence: 1 })).answers.at(-1)).toBe(0x6982);
    expect(world.se.state.registry.loadFiles).toEqual({});
  });

  it('loads with a valid consent and keeps it with the package; the same token cannot be used twice', () => {
    const world = personalised();
    const consent = token({ decision: 'consent', service: SERVICE, meterId: 'meter-1', sequence: 1 });
    const { answers, via } = load(world, 'telecare', consent);
    expect(answers.every((sw) => sw === 0x9000)).toBe(true);
    expect(world.se.state.registry.loadFiles[hydraAid('elf', SERVICE)]?.consent?.document).toContain('"decision":"consent"');
    expect(world.se.state.registry.domains[world.se.state.registry.issuerAid]?.data.consentSequence).toBe(1);
    // The owner deletes its own service without the householder (it may always stop a service) …
    expect(via.send(deleteCommand(hydraAid('elf', SERVICE), { related: true })).sw).toBe(0x9000);
    // … and the consent it was loaded under is spent.
    expect(load(world, 'telecare', consent).answers[0]).toBe(0x6982);
  });

  it('the card manager deletes it only with a signed withdrawal, and that ends the service domain\'s sessions', () => {
    const world = personalised();
    const { via } = load(world, 'telecare', token({ decision: 'consent', service: SERVICE, meterId: 'meter-1', sequence: 1 }));
    expect(via.send(installForInstallCommand({ elfAid: hydraAid('elf', SERVICE), appletAid: hydraAid('applet', SERVICE) })).sw).toBe(0x6985); // the probe takes no consent command
    expect(world.se.state.registry.applets[hydraAid('applet', SERVICE)]).toBeUndefined();
    const isd = world.openIssuer();
    expect(isd.send(deleteCommand(hydraAid('elf', SERVICE), { related: true })).sw).toBe(0x6982);
    expect(isd.send(deleteCommand(hydraAid('elf', SERVICE), { related: true, withdrawal: token({ decision: 'withdraw', service: SERVICE, meterId: 'meter-1', sequence: 1 }) })).sw).toBe(0x6982);
    const channel = via.channel;
    expect(world.se.state.channels[channel]?.session).not.toBeNull();
    expect(isd.send(deleteCommand(hydraAid('elf', SERVICE), { related: true, withdrawal: token({ decision: 'withdraw', service: SERVICE, meterId: 'meter-1', sequence: 2 }) })).sw).toBe(0x9000);
    expect(world.se.state.registry.loadFiles).toEqual({});
    expect(world.se.state.channels[channel]?.session ?? null).toBeNull();
    // A withdrawal on anything that is not optional is malformed.
    expect(isd.send(deleteCommand(hydraAid('sd', 'supplier'), { withdrawal: token({ decision: 'withdraw', service: 'x', meterId: 'meter-1', sequence: 3 }) })).sw).toBe(0x6a80);
  });
});
