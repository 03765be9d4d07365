/**
 * Messages between the CLI's main thread (relay, parties, database) and a meter-host worker
 * thread (meter cores in SES compartments). Structured-clone friendly.
 */
import type { HostProgress } from '@hydra/dcc';

/** Start-up data for a host worker. */
export interface HostInit {
  worldId: string;
  seed: string;
  startDate: string;
  homeIndices: number[];
  /** The signed catalog the factory loads from. */
  catalog: { publisherPublicKey: string; applets: { id: string; source: string; signature: string }[] };
  /** The manufacturer CA's public half (its private key stays in the main thread's relay). */
  ca: { id: string; publicKey: string };
  /** In conventional mode the meters also send raw reads to the DCC's central store (default hydra). */
  mode?: 'hydra' | 'conventional';
  /** The world's data-sharing preset, personalised into each meter's billing applet (default hydra). */
  sharingPreset?: 'hydra' | 'gb-licence';
  /**
   * Home indices (of this host's) whose householders consent to telecare at the start: on the
   * in-home display's path, each meter installs telecare under the signed consent and signs a proof
   * of it with its device key, which the host hands to the telecare provider (`enrol`).
   */
  telecareHomes?: number[];
}

/** The worker's calls on the main thread: the comms hub's relay calls, raw reads, proofs of consent. */
export type HostRpcMethod = 'register' | 'wake' | 'post' | 'acknowledge' | 'conventional' | 'enrol';

/** Main → worker. */
export type ToHost =
  | { type: 'advance'; requestId: number; untilDate: string }
  | { type: 'rpc-result'; id: number; result?: unknown; error?: string };

/** Worker → main. */
export type FromHost =
  | { type: 'ready'; meters: number }
  | { type: 'rpc'; id: number; method: HostRpcMethod; args: unknown[] }
  | { type: 'progress'; progress: HostProgress }
  | { type: 'advanced'; requestId: number; progress: HostProgress }
  | { type: 'failed'; requestId: number | null; message: string };
