/**
 * The householder's own meter, as the in-home display uses it — locally, over the home area
 * network, never through the relay (DESIGN.md "Message catalog": the in-home display reads its own
 * meter locally):
 *
 * - the insights view (budget, breakdown, tips) from the insights applet in the householder's
 *   domain, over a local SCP03 channel the display is paired on;
 * - the data-sharing choice, passed by the card manager to billing's shareable `set-sharing`
 *   interface as a document the householder signed — billing checks the signature and applies it
 *   from the next day it meters;
 * - consent to telecare: the card manager (the issuer security domain, on its own local channel)
 *   loads the telecare package from the signed catalog into the telecare provider's domain — the
 *   card verifies its DAP and the householder's consent token — installs it and hands it the
 *   consent; revoking it deletes the package and instance with the signed withdrawal, which wipes
 *   the applet's storage and ends every session opened with the telecare domain's keys.
 *
 * Documents are signed by the meter host with the householder key (`signHouseholderDocument`);
 * the card refuses anything else, and a refusal changes nothing.
 */
import { bytesToHex, hexToBytes, signMessage, utf8ToBytes, type Json, type RandomSource } from '@hydra/globalplatform';
import { appletCommand, deleteCommand, installForInstallCommand, installForLoadCommand, loadCommands, MAX_LOAD_BLOCK, parseAppletResponse, selectCommand } from '../secure-element/commands';
import { encodeHouseholderToken } from '../secure-element/consent-token';
import { openScp03, type HostChannel } from '../secure-element/host-channel';
import { appletSourceHash, buildLoadFile } from '../secure-element/load-file';
import { hydraAid, ISSUER_AID } from '../secure-element/registry';
import { appletAidOf, scp03Keys, type MeterCore, type MeterState, type SignedCatalog } from './meter-core';

/** The in-home display's local channel to the householder's domain. */
const DISPLAY_CHANNEL = 'ihd';
/** The local channel on which the card manager installs and deletes optional applets. */
const CARD_MANAGER_CHANNEL = 'ihd-card-manager';
const HOUSEHOLDER_SD = hydraAid('sd', 'householder');
const TELECARE_SD = hydraAid('sd', 'telecare');
/** Privileges the telecare applet is installed with: occupant activity only. */
const TELECARE_PRIVILEGES = ['activity'] as const;

/** A document the householder signed: its exact canonical JSON and the ECDSA P-256 signature (hex). */
export interface SignedDocument {
  document: string;
  signature: string;
}

/** Data-sharing settings (DESIGN.md Decision 11). */
export type SharingSetting = 'monthly' | 'daily' | 'half-hourly';

/** What the in-home display shows of the data-sharing setting. */
export interface SharingView {
  preset: 'hydra' | 'gb-licence';
  /** The setting for the next day the meter meters. */
  setting: SharingSetting;
  /** When the householder's own choice took effect (UTC ms), or null while the preset applies. */
  effectiveFromUtc: number | null;
}

/** The insights applet's view, as the display shows it. */
export interface InsightsView {
  period: string | null;
  importWh: number;
  exportWh: number;
  estimatedPence: number;
  budgetPence: number;
  projectedPence: number;
  onTrack: boolean;
  breakdown: { baseloadWh: number; eveningPeakWh: number; nightWh: number; otherWh: number };
  recent: { date: string; importWh: number; exportWh: number }[];
  tips: string[];
}

/** Whether the optional telecare service is on the meter. */
export interface TelecareView {
  installed: boolean;
  /** The package version installed, or null. */
  version: string | null;
}

/** Error codes of the householder interface. */
export type HouseholderErrorCode = 'REFUSED' | 'MALFORMED' | 'NOT_AVAILABLE' | 'ALREADY_INSTALLED' | 'NOT_INSTALLED';

/** The card refused, or the request cannot be made; nothing changed. */
export class HouseholderError extends Error {
  constructor(
    readonly code: HouseholderErrorCode,
    message: string,
    /** The card's status word when it refused. */
    readonly statusWord: number | null = null,
  ) {
    super(message);
    this.name = 'HouseholderError';
  }
}

/** Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace (what the applets check signatures over). */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as Json)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Signs a householder document with the key the meter host keeps, numbering it with the next
 * sequence (the card refuses a sequence it has seen). Mutates `state.householder.sequence`:
 * persist the state afterwards.
 * @param fields - the document without `meterId` and `sequence`, which are filled in.
 */
export function signHouseholderDocument(state: MeterState, fields: { [key: string]: Json }): SignedDocument {
  state.householder.sequence += 1;
  const document = canonicalJson({ ...fields, meterId: state.meterId, sequence: state.householder.sequence });
  const signature = bytesToHex(signMessage(utf8ToBytes(document), hexToBytes(state.householder.privateKey)));
  return { document, signature };
}

function parseDocument(signed: SignedDocument): { [key: string]: Json } {
  if (!signed || typeof signed.document !== 'string' || typeof signed.signature !== 'string') throw new HouseholderError('MALFORMED', 'a signed document needs { document, signature } as strings');
  let parsed: unknown;
  try {
    parsed = JSON.parse(signed.document);
  } catch {
    throw new HouseholderError('MALFORMED', 'the document is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new HouseholderError('MALFORMED', 'the document is not a JSON object');
  return parsed as { [key: string]: Json };
}

/** Options for {@link Householder}. */
export interface HouseholderOptions {
  /** The signed catalog the card manager loads optional applets from. */
  catalog: SignedCatalog;
  random: RandomSource;
}

/** The in-home display's interface to its own meter. Persist the core's state after each change. */
export class Householder {
  constructor(
    private readonly core: MeterCore,
    private readonly options: HouseholderOptions,
  ) {}

  /** Opens a local SCP03 channel with a domain's keys (the display's pairing, or the card manager's). */
  private channel(channel: string, sdAid: string): HostChannel {
    const domain = this.core.state.se.registry.domains[sdAid];
    if (!domain) throw new HouseholderError('NOT_AVAILABLE', `this meter has no security domain ${sdAid}`);
    const port = { process: (input: { channel: string; apdu: Uint8Array }) => ({ response: this.core.localApdu(input.channel, input.apdu) }) };
    return openScp03({ port, channel, sdAid, keys: scp03Keys(domain), random: this.options.random });
  }

  /** The insights applet's view: month-to-date cost against the budget, the usage breakdown and tips. */
  insights(): InsightsView {
    const display = this.channel(DISPLAY_CHANNEL, HOUSEHOLDER_SD);
    const selected = display.send(selectCommand(appletAidOf('insights')));
    if (selected.sw !== 0x9000) throw new HouseholderError('NOT_AVAILABLE', 'the insights applet is not on this meter', selected.sw);
    const answer = display.send(appletCommand('view'));
    if (answer.sw !== 0x9000) throw new HouseholderError('REFUSED', 'the insights applet did not answer', answer.sw);
    const { result: _result, ...view } = parseAppletResponse(answer.data);
    return view as unknown as InsightsView;
  }

  /** The data-sharing setting billing applies to the next day it meters. */
  sharing(): SharingView {
    const answer = this.core.brokerShareable({ from: appletAidOf('insights'), to: appletAidOf('billing'), name: 'sharing', body: {} });
    if (answer.status !== 0x9000) throw new HouseholderError('NOT_AVAILABLE', 'the billing applet did not answer', answer.status);
    const { preset, setting, effectiveFromUtc } = answer.body;
    return { preset: preset === 'gb-licence' ? 'gb-licence' : 'hydra', setting: setting as SharingSetting, effectiveFromUtc: typeof effectiveFromUtc === 'number' ? effectiveFromUtc : null };
  }

  /**
   * Applies a data-sharing choice the householder signed: `{ kind: 'data-sharing', meterId,
   * setting, sequence }`. Billing sends accordingly from the next day it meters.
   * @throws {HouseholderError} REFUSED (with billing's reason) for an unsigned, forged, replayed or
   *   malformed choice; nothing changes then.
   */
  setSharing(choice: SignedDocument): SharingView {
    const consent = parseDocument(choice);
    const answer = this.core.brokerShareable({ from: appletAidOf('insights'), to: appletAidOf('billing'), name: 'set-sharing', body: { consent, signature: choice.signature } });
    if (answer.status !== 0x9000) throw new HouseholderError('REFUSED', `billing refused the choice: ${String(answer.body.reason ?? answer.body.error ?? 'no reason')}`, answer.status);
    return this.sharing();
  }

  /** Whether telecare is installed. */
  telecare(): TelecareView {
    const applet = this.core.state.se.registry.applets[appletAidOf('telecare')];
    return { installed: applet !== undefined, version: applet?.version ?? null };
  }

  /**
   * Consents to telecare: the card manager loads the signed telecare package into the telecare
   * provider's domain under the householder's consent `{ decision: 'consent', service: 'telecare',
   * meterId, sequence, learningWeeks? }`, installs it with the activity privilege only and hands it
   * the consent.
   * @throws {HouseholderError} ALREADY_INSTALLED; NOT_AVAILABLE without a signed telecare package;
   *   REFUSED when the card refuses (an unsigned or replayed consent, a package that fails its DAP) —
   *   nothing is loaded or installed then.
   */
  consentToTelecare(consent: SignedDocument): TelecareView {
    const fields = parseDocument(consent);
    // The applet takes 1–4 learning weeks; anything else would be refused after the package is loaded.
    if (fields.learningWeeks !== undefined && !(Number.isInteger(fields.learningWeeks) && (fields.learningWeeks as number) >= 1 && (fields.learningWeeks as number) <= 4)) {
      throw new HouseholderError('MALFORMED', 'learningWeeks: expected a whole number of weeks, 1 to 4');
    }
    if (this.telecare().installed) throw new HouseholderError('ALREADY_INSTALLED', 'telecare is already installed');
    const entry = this.options.catalog.applets.find((applet) => applet.id === 'telecare');
    if (!entry) throw new HouseholderError('NOT_AVAILABLE', 'the signed catalog has no telecare package');
    const cardManager = this.channel(CARD_MANAGER_CHANNEL, ISSUER_AID);
    const elfAid = hydraAid('elf', 'telecare');
    const loadFile = buildLoadFile(entry.source, [{ sdAid: hexToBytes(TELECARE_SD), signature: hexToBytes(entry.signature) }]);
    const commands = [
      installForLoadCommand({ elfAid, sdAid: TELECARE_SD, hash: appletSourceHash(entry.source), parameters: encodeHouseholderToken(consent.document, consent.signature) }),
      ...loadCommands(loadFile, MAX_LOAD_BLOCK),
      installForInstallCommand({ elfAid, appletAid: appletAidOf('telecare'), privileges: [...TELECARE_PRIVILEGES] }),
    ];
    for (const command of commands) {
      const { sw } = cardManager.send(command);
      if (sw !== 0x9000) throw new HouseholderError('REFUSED', `the card manager refused telecare (${command.ins === 0xe6 ? 'INSTALL' : 'LOAD'}: ${sw.toString(16)})${this.lastRefusal()}`, sw);
    }
    return this.telecare();
  }

  /**
   * Revokes telecare with the householder's signed withdrawal `{ decision: 'withdraw', service:
   * 'telecare', meterId, sequence }`: the card manager deletes the package and its instance — the
   * applet's storage and outbox go with it — and ends the telecare domain's sessions.
   * @throws {HouseholderError} NOT_INSTALLED; REFUSED for an unsigned or replayed withdrawal (nothing changes).
   */
  revokeTelecare(withdrawal: SignedDocument): TelecareView {
    parseDocument(withdrawal);
    if (!this.telecare().installed) throw new HouseholderError('NOT_INSTALLED', 'telecare is not installed');
    const cardManager = this.channel(CARD_MANAGER_CHANNEL, ISSUER_AID);
    const { sw } = cardManager.send(deleteCommand(hydraAid('elf', 'telecare'), { related: true, withdrawal: encodeHouseholderToken(withdrawal.document, withdrawal.signature) }));
    if (sw !== 0x9000) throw new HouseholderError('REFUSED', `the card manager refused the withdrawal (${sw.toString(16)})${this.lastRefusal()}`, sw);
    return this.telecare();
  }

  /** The detail of the card's last refusal, for the message. */
  private lastRefusal(): string {
    const last = this.core.state.se.events.at(-1);
    return last && last.kind.startsWith('firewall.') ? `: ${last.detail}` : '';
  }
}
