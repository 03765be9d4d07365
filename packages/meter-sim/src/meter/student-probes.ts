/**
 * Probes a student can run against a meter to watch it refuse, without touching the live meter:
 * each probe works on a deep copy of the meter's state (never saved) with the real meter core and
 * secure element, and reports every APDU it sent, the card's status words, the firewall events and
 * meter-core refusals it caused, and whether the registry changed (DESIGN.md "Firewall": every
 * refused access is an event the dashboard shows).
 *
 * - `foreign-select`: another party opens SCP11b to its own security domain through the meter
 *   core, exactly as its backend would through the relay, then SELECTs an applet that belongs to
 *   a different domain → 6982 and a `firewall.channel-foreign-applet` event.
 * - `unsigned-load` / `tampered-load`: the applet's owner, on its own channel, sends INSTALL [for
 *   load] and LOAD with a package carrying no DAP signature, or with the published signature over
 *   bytes that were changed afterwards → 6982 and a `dap.refused` event; the registry is unchanged.
 * - `replay`: the newest wrapped command in the meter's trace sent again — under its own message
 *   id the meter core ignores it as a redelivery; under a new id the card's C-MAC check refuses it
 *   (6982) and nothing changes.
 *
 * No probe needs applet code to run, so the copy's applet compiler refuses to compile anything.
 */
import { base64UrlToBytes, bytesToHex, hexToBytes, parseResponseApdu, type RandomSource, type RoutingHeader } from '@hydra/globalplatform';
import { londonDay } from '../calendar';
import { installForLoadCommand, loadCommands, selectCommand } from '../secure-element/commands';
import { isRefusal, type SeEvent } from '../secure-element/firewall';
import { openScp11b, type ApduPort, type HostChannel } from '../secure-element/host-channel';
import { appletSourceHash, buildLoadFile } from '../secure-element/load-file';
import { hydraAid, type AppletRecord, type DomainRecord, type SecureElementState } from '../secure-element/registry';
import { SecureElement } from '../secure-element/secure-element';
import type { ApduExchange } from './apdu-trace';
import { METER_STATE_VERSION, MeterCore, type MeterState } from './meter-core';

/** The probes on offer. */
export type ProbeKind = 'foreign-select' | 'unsigned-load' | 'tampered-load' | 'replay';

/** Every probe, in the order a page lists them. */
export const PROBE_KINDS: readonly ProbeKind[] = ['foreign-select', 'unsigned-load', 'tampered-load', 'replay'];

/** One APDU the probe sent and the card's answer (hex, as sent and received). */
export interface ProbeStep {
  label: string;
  command: string;
  response: string;
  sw: number;
}

/** What a probe did and what the meter said. */
export interface ProbeResult {
  probe: ProbeKind;
  /** One sentence: what was tried, by whom. */
  summary: string;
  steps: ProbeStep[];
  /** The status word of the decisive step (the refusal), or null when the probe could not run. */
  sw: number | null;
  /** True when the meter refused what the probe tried. */
  refused: boolean;
  /** Events the secure element added (firewall and DAP refusals, channels opened). */
  events: SeEvent[];
  /** Refusals the meter core recorded before or after the card. */
  refusals: MeterState['refusals'];
  /** Whether the load files and applet instances are exactly as before. */
  registryUnchanged: boolean;
  /** Why the probe could not run (e.g. no certificate yet), or null. */
  problem: string | null;
}

/** Options for {@link runProbe}. */
export interface ProbeOptions {
  /** The meter's state; deep-copied, never changed. */
  state: MeterState;
  random: RandomSource;
  /** The meter's trace (for `replay`), oldest first. */
  trace?: readonly ApduExchange[];
  /** Published DAP signatures by applet id (hex), for `tampered-load`. */
  signatures?: Readonly<Record<string, string>>;
}

class ProbeError extends Error {}

const refuseCompile = () => {
  throw new ProbeError('applet code does not run in a probe');
};
const noMetrology = () => {
  throw new ProbeError('a probe meters nothing');
};

function swOf(response: Uint8Array): number {
  return parseResponseApdu(response).sw;
}

/** Events or refusals added to a bounded, append-only log (the oldest may have been dropped). */
function added<T>(before: readonly T[], after: readonly T[]): T[] {
  const key = (item: T) => JSON.stringify(item);
  for (let dropped = 0; dropped <= before.length; dropped++) {
    const kept = before.slice(dropped);
    if (kept.length <= after.length && kept.every((item, i) => key(item) === key(after[i] as T))) return after.slice(kept.length);
  }
  return [...after];
}

function contentOf(se: SecureElementState): string {
  return JSON.stringify([se.registry.loadFiles, se.registry.applets]);
}

const HANDSHAKE_LABELS = ['SELECT own security domain', 'GET DATA BF21 (certificate store)', 'INTERNAL AUTHENTICATE (SCP11b)'];

/** A port that records every APDU and its answer, naming each with the next of `labels`. */
function recording(port: ApduPort, steps: ProbeStep[], labels: readonly string[]): ApduPort {
  return {
    process(input) {
      const { response } = port.process(input);
      steps.push({ label: labels[steps.length] ?? 'command', command: bytesToHex(input.apdu), response: bytesToHex(response), sw: swOf(response) });
      return { response };
    },
  };
}

/**
 * The meter core as a party's backend reaches it through the relay: each APDU one downlink with a
 * fresh message id, classed as the relay would carry it (plain set-up APDUs `session-setup`, a
 * wrapped COLLECT `collect`, any other wrapped command `applet-command`), answered at once.
 * @throws {Error} when the meter core answers nothing (a command not addressed to it).
 */
export function downlinkPort(core: MeterCore, partyId: string, appletId: string, random: RandomSource): ApduPort {
  return {
    process({ apdu }) {
      const secured = apdu.length > 0 && ((apdu[0] ?? 0) & 0x04) !== 0;
      const header: RoutingHeader = {
        messageId: bytesToHex(random(16)),
        worldId: core.state.worldId,
        meterId: core.state.meterId,
        partyId,
        appletId,
        messageClass: !secured ? 'session-setup' : apdu[1] === 0xc0 ? 'collect' : 'applet-command',
        direction: 'downlink',
      };
      const answer = core.handleDownlink({ header, sealed: apdu });
      const uplink = answer ? core.state.pendingUplinks.find((pending) => pending.header.messageId === answer.messageId) : undefined;
      if (!answer || !uplink) throw new ProbeError('the meter core gave no answer');
      core.acknowledgeUplinks([answer.messageId]);
      return { response: base64UrlToBytes(uplink.sealed) };
    },
  };
}

function openChannel(port: ApduPort, state: MeterState, domain: DomainRecord, random: RandomSource, channel: string): HostChannel {
  if (domain.scp11.certificates.length === 0) throw new ProbeError(`security domain ${domain.aid} has no certificate yet: let the world host register the meter first`);
  return openScp11b({
    port,
    channel,
    sdAid: domain.aid,
    trustAnchor: { id: hexToBytes(state.se.ca.id), publicKey: hexToBytes(state.se.ca.publicKey) },
    random,
    now: londonDay(state.nextDate).startUtc,
  });
}

function billingOrFirst(se: SecureElementState): AppletRecord | undefined {
  const applets = Object.values(se.registry.applets);
  return applets.find((applet) => applet.appletId === 'billing') ?? applets[0];
}

function partyDomains(se: SecureElementState): DomainRecord[] {
  return Object.values(se.registry.domains).filter((domain) => domain.party !== null);
}

interface Outcome {
  summary: string;
  sw: number | null;
}

function foreignSelect(core: MeterCore, options: ProbeOptions, steps: ProbeStep[]): Outcome {
  const state = core.state;
  const target = billingOrFirst(state.se);
  if (!target) throw new ProbeError('this meter holds no applet to reach for');
  const intruder = partyDomains(state.se).find((domain) => domain.aid !== target.sdAid && domain.scp11.certificates.length > 0) ?? partyDomains(state.se).find((domain) => domain.aid !== target.sdAid);
  if (!intruder?.party) throw new ProbeError('this meter has no second party domain');
  const owner = state.se.registry.domains[target.sdAid]?.party ?? target.sdAid;
  const summary = `The ${intruder.party} opens SCP11b to its own security domain through the meter core, then SELECTs the ${owner}'s ${target.appletId} applet on that channel.`;
  const port = recording(downlinkPort(core, intruder.party, target.appletId, options.random), steps, [...HANDSHAKE_LABELS, `SELECT ${target.appletId} (wrapped, level 33)`]);
  const channel = openChannel(port, state, intruder, options.random, intruder.party);
  const response = port.process({ channel: intruder.party, apdu: channel.wrap(selectCommand(target.aid)) }).response;
  return { summary, sw: swOf(response) };
}

function load(se: SecureElement, state: MeterState, options: ProbeOptions, steps: ProbeStep[], tampered: boolean): Outcome {
  const target = billingOrFirst(state.se);
  const file = target ? state.se.registry.loadFiles[target.elfAid] : undefined;
  const owner = target ? state.se.registry.domains[target.sdAid] : undefined;
  if (!target || !file || !owner) throw new ProbeError('this meter holds no applet package to imitate');
  let source = file.source;
  let elfAid = hydraAid('elf', 'probe');
  let daps: { sdAid: Uint8Array; signature: Uint8Array }[] = [];
  let summary = `The ${owner.party ?? 'issuer'}, on its own channel, loads a package with no DAP signature (a copy of ${target.appletId}'s source under a new load file AID).`;
  if (tampered) {
    const signature = options.signatures?.[file.manifest.id];
    if (!signature) throw new ProbeError(`no published signature for ${file.manifest.id}: the catalog is not signed`);
    // One character changed after signing: the hash announced is honest, the signature no longer verifies.
    const at = source.lastIndexOf('0');
    source = at >= 0 ? `${source.slice(0, at)}1${source.slice(at + 1)}` : `${source}\n`;
    elfAid = file.aid;
    daps = [{ sdAid: hexToBytes(owner.aid), signature: hexToBytes(signature) }];
    summary = `The ${owner.party ?? 'issuer'}, on its own channel, loads ${target.appletId} ${file.manifest.version} with its published signature but one character of the source changed after signing.`;
  }
  const commands = [installForLoadCommand({ elfAid, hash: appletSourceHash(source) }), ...loadCommands(buildLoadFile(source, daps), 255)];
  const labels = [...HANDSHAKE_LABELS, ...commands.map((command, i) => (i === 0 ? 'INSTALL [for load] (wrapped)' : `LOAD block ${i - 1}${command.p1 === 0x80 ? ' (last)' : ''} (wrapped)`))];
  const port = recording(se, steps, labels);
  const channel = openChannel(port, state, owner, options.random, 'probe');
  let sw: number | null = null;
  for (const command of commands) {
    const response = port.process({ channel: 'probe', apdu: channel.wrap(command) }).response;
    sw = swOf(response);
    if (sw !== 0x9000) break;
    channel.unwrap(response);
  }
  return { summary, sw };
}

function replay(core: MeterCore, options: ProbeOptions, steps: ProbeStep[]): Outcome {
  const secured = (exchange: ApduExchange) => (Number.parseInt(exchange.wrapped.command.slice(0, 2), 16) & 0x04) !== 0;
  const last = [...(options.trace ?? [])].reverse().find((exchange) => exchange.response !== null && secured(exchange));
  if (!last) throw new ProbeError('no wrapped command in this meter’s trace yet: run the world until a party’s channel is open');
  const bytes = hexToBytes(last.wrapped.command);
  const summary = `The ${last.command.partyId}'s last wrapped command (${last.command.messageClass}, message ${last.command.messageId.slice(0, 8)}…) sent to the meter again, as someone who captured it could.`;
  const send = (header: RoutingHeader, label: string): number | null => {
    const answer = core.handleDownlink({ header, sealed: bytes });
    const uplink = answer ? core.state.pendingUplinks.find((pending) => pending.header.messageId === answer.messageId) : undefined;
    if (!answer || !uplink) {
      steps.push({ label, command: bytesToHex(bytes), response: '', sw: 0 });
      return null;
    }
    core.acknowledgeUplinks([answer.messageId]);
    const response = base64UrlToBytes(uplink.sealed);
    steps.push({ label, command: bytesToHex(bytes), response: bytesToHex(response), sw: swOf(response) });
    return swOf(response);
  };
  if (core.state.handledCommands.includes(last.command.messageId)) send({ ...last.command }, 'Same message id: a redelivery — the meter answers nothing twice');
  const sw = send({ ...last.command, messageId: bytesToHex(options.random(16)) }, 'New message id: the card checks the C-MAC chain');
  return { summary, sw };
}

/**
 * Runs one probe on a copy of the meter's state. Never throws for a probe that cannot run: the
 * result's `problem` says why.
 * @throws {TypeError} for a state that is not a meter state.
 */
export function runProbe(kind: ProbeKind, options: ProbeOptions): ProbeResult {
  if (!options.state || options.state.version !== METER_STATE_VERSION) throw new TypeError(`probe: expected a meter state (version ${METER_STATE_VERSION})`);
  const state = structuredClone(options.state);
  const before = { events: [...state.se.events], refusals: [...state.refusals], content: contentOf(state.se) };
  const steps: ProbeStep[] = [];
  const core = new MeterCore({ state, compile: refuseCompile, metrology: noMetrology, random: options.random });
  const se = new SecureElement(state.se, { random: options.random, now: () => londonDay(state.nextDate).startUtc, compile: refuseCompile });
  let outcome: Outcome = { summary: '', sw: null };
  let problem: string | null = null;
  try {
    if (kind === 'foreign-select') outcome = foreignSelect(core, options, steps);
    else if (kind === 'unsigned-load' || kind === 'tampered-load') outcome = load(se, state, options, steps, kind === 'tampered-load');
    else if (kind === 'replay') outcome = replay(core, options, steps);
    else throw new ProbeError(`unknown probe ${String(kind)}`);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  const after = kind === 'unsigned-load' || kind === 'tampered-load' ? se.state : core.state.se;
  const events = added(before.events, after.events);
  const refusals = added(before.refusals, core.state.refusals);
  return {
    probe: kind,
    summary: outcome.summary,
    steps,
    sw: outcome.sw,
    refused: outcome.sw !== null && outcome.sw !== 0x9000 && (outcome.sw >> 8) !== 0x63,
    events,
    refusals,
    registryUnchanged: contentOf(after) === before.content,
    problem,
  };
}

/** Whether a probe's events include a refusal (firewall or DAP). */
export function probeRecordedRefusal(result: ProbeResult): boolean {
  return result.events.some(isRefusal) || result.refusals.length > 0;
}
