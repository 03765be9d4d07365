/**
 * A host-side helper that drives a secure element over APDUs the way a party's backend does:
 * SELECT its security domain, read and verify the BF21 certificate store against the manufacturer
 * CA, open SCP11b (GP Amendment F §7.6) or SCP03 (Amendment D §7.1) and then exchange
 * level-33 wrapped commands. Used by tests and demos; the host session is plain JSON too, so a
 * test can persist it and resume.
 */
import {
  encodeCommandApdu,
  parseGetCertificatesResponse,
  parseResponseApdu,
  scp03HostComplete,
  scp03HostExternalAuthenticate,
  scp03HostInitializeUpdate,
  scp03UnwrapResponse,
  scp03WrapCommand,
  scp11HostFinish,
  scp11HostStart,
  buildGetCertificatesCommand,
  verifyCertificateChain,
  expectStatus,
  type CommandApdu,
  type RandomSource,
  type ResponseApdu,
  type Scp03Session,
  type Scp03StaticKeys,
  type TrustAnchor,
} from '@hydra/globalplatform';
import { selectCommand } from './commands';

/** Anything that answers APDUs on a logical channel (a SecureElement, or a relay in front of one). */
export interface ApduPort {
  process(input: { channel: string; apdu: Uint8Array }): { response: Uint8Array };
}

/** Sends one plain APDU and returns the card's raw response bytes. */
export function transmit(port: ApduPort, channel: string, command: CommandApdu | Uint8Array): Uint8Array {
  const apdu = command instanceof Uint8Array ? command : encodeCommandApdu(command);
  return port.process({ channel, apdu }).response;
}

/** A host end of an open secure channel. */
export class HostChannel {
  constructor(
    private readonly port: ApduPort,
    readonly channel: string,
    /** The host's SCP03 session (JSON); replace it to resume a stored session. */
    public session: Scp03Session,
  ) {}

  /** Wraps a command (advancing the host's MAC chain) without sending it. */
  wrap(command: CommandApdu): Uint8Array {
    const { state, output } = scp03WrapCommand(this.session, command);
    this.session = state;
    return output;
  }

  /** Sends already-wrapped bytes and returns the raw response. */
  exchange(wrapped: Uint8Array): Uint8Array {
    return this.port.process({ channel: this.channel, apdu: wrapped }).response;
  }

  /** Opens a raw response to the last wrapped command (checks R-MAC, decrypts). */
  unwrap(response: Uint8Array): ResponseApdu {
    const { state, output } = scp03UnwrapResponse(this.session, response);
    this.session = state;
    return output;
  }

  /** Wraps, sends and unwraps one command. */
  send(command: CommandApdu): ResponseApdu {
    return this.unwrap(this.exchange(this.wrap(command)));
  }
}

/** Options for {@link openScp11b}. */
export interface OpenScp11bOptions {
  port: ApduPort;
  channel: string;
  sdAid: string;
  /** The manufacturer CA the SD certificate must chain to. */
  trustAnchor: TrustAnchor;
  random: RandomSource;
  /** World time, ms. */
  now: number;
}

/**
 * Opens SCP11b to a security domain: SELECT, GET DATA BF21, verify the chain, INTERNAL AUTHENTICATE.
 * @throws {ApduError} when the card refuses a step; {@link CertificateError} for a bad chain.
 */
export function openScp11b(options: OpenScp11bOptions): HostChannel {
  const { port, channel } = options;
  expectStatus(parseResponseApdu(transmit(port, channel, selectCommand(options.sdAid))));
  const chain = parseGetCertificatesResponse(transmit(port, channel, buildGetCertificatesCommand(1, 0x13)));
  const leaf = verifyCertificateChain(chain, { trustAnchors: [options.trustAnchor], now: Math.floor(options.now / 1000), leafRole: 'sd' });
  const start = scp11HostStart({ variant: 'b', keyVersion: 1, sdPublicKey: leaf.publicKey, random: options.random });
  const authenticate = start.output[0];
  if (!authenticate) throw new RangeError('SCP11b: no authenticate command');
  const { state } = scp11HostFinish(start.state, transmit(port, channel, authenticate));
  return new HostChannel(port, channel, state);
}

/**
 * Opens SCP03 to a security domain with its static keys (key version 0 = the current set).
 * @throws {ApduError} when the card refuses; {@link ScpAuthenticationError} when its cryptogram is wrong (wrong keys).
 */
export function openScp03(options: { port: ApduPort; channel: string; sdAid: string; keys: Scp03StaticKeys; keyVersion?: number; random: RandomSource }): HostChannel {
  const { port, channel } = options;
  expectStatus(parseResponseApdu(transmit(port, channel, selectCommand(options.sdAid))));
  const init = scp03HostInitializeUpdate({ keys: options.keys, keyVersion: options.keyVersion ?? 0, securityLevel: 0x33, random: options.random });
  const external = scp03HostExternalAuthenticate(init.state, transmit(port, channel, init.output));
  const { state } = scp03HostComplete(external.state, transmit(port, channel, external.output));
  return new HostChannel(port, channel, state);
}
