/// <reference types="ses" />
/**
 * The runtime cache of applet instances: one live instance per instance AID (made anew when the
 * record's package hash changes; each a module instance in its package's SES compartment, see
 * applet-runtime.ts), built lazily from the state (after a restore, on first use) with
 * `instantiateApplet`. The cache is not state: it holds live objects and is rebuilt from
 * `SecureElementState` at any time.
 *
 * Applet code never touches the state. Each call binds the instance's capabilities to a working
 * copy of its storage and outbox; the caller folds the copy into the next state when the call
 * succeeds and drops it when it throws, so an applet cannot leave a half-made change (DESIGN.md
 * Decision 7).
 */
import type { Json, RandomSource } from '@hydra/globalplatform';
import type { AppletCapabilities, AppletCrypto, AppletInstance, AppletManifest, LoadControlWindow } from './applet';
import { createAppletCrypto, type CryptoPrimitives } from './applet-crypto';
import { adoptJson, freezeChecked, freezeJson } from './freeze-json';
import { instantiateApplet, type AppletModule } from './applet-runtime';
import type { SeEvent } from './firewall';
import type { AppletRecord, LoadFileRecord, OutboxItem } from './registry';

/** Compiles a published source into an applet module (the host passes `parseAppletModule` with SES's ModuleSource). */
export type AppletCompiler = (source: string) => AppletModule;

/**
 * A working copy of an applet's persistent state during one call. Storage, outbox and windows are
 * the record's own until the applet first writes one of them, which then gets its own copy (an
 * applet that only reads leaves its record as it was, and nothing is copied).
 */
export interface AppletWorkspace {
  storage: { [key: string]: Json };
  outbox: OutboxItem[];
  /** Load-control windows the applet has scheduled (the host feeds them to the household model). */
  controls: LoadControlWindow[];
  /** Refusals the applet ran into during the call (recorded even if the call fails). */
  events: SeEvent[];
}

/** Which parts of a workspace are already its own copies (the rest are still the record's). */
interface Owned {
  storage: boolean;
  outbox: boolean;
}

const NO_WINDOWS: readonly LoadControlWindow[] = Object.freeze([]);

/** The outcome of one call into an applet. */
export type AppletCallResult<T> = { ok: true; value: T; workspace: AppletWorkspace } | { ok: false; error: unknown; events: SeEvent[] };

interface LiveApplet {
  manifest: AppletManifest;
  instance: AppletInstance;
  binding: Binding;
  /** The package hash of the code it runs. */
  hash: string;
  /** When it was last called (a call counter), for dropping the least recently used. */
  used: number;
}

/** The workspace an instance's capabilities act on during a call (null between calls). */
interface Binding {
  workspace: AppletWorkspace | null;
  owned: Owned;
}


/**
 * A stored value, deep-frozen: values restored from JSON or cloned are frozen on first read, and
 * marked as checked JSON (an applet storing them again is not made to check them again).
 */
function frozen<T extends Json>(value: T): T {
  if (!Object.isFrozen(value)) freezeChecked(value);
  return value;
}

/** Most load-control windows one applet keeps scheduled (the latest ones). */
const MAX_WINDOWS = 64;

/**
 * A copy of a window an applet asks the actuator for, checked field by field (the household model
 * must never be handed a malformed window).
 * @throws {TypeError|RangeError} naming the field.
 */
function checkedWindow(window: LoadControlWindow): LoadControlWindow {
  if (!window || typeof window !== 'object') throw new TypeError('load-control window: expected an object');
  const { commandId, device, fromUtc, toUtc, limitKw } = window;
  if (typeof commandId !== 'string' || commandId.length === 0 || commandId.length > 64) throw new TypeError('load-control window.commandId: expected a string of 1–64 characters');
  if (device !== 'ev' && device !== 'heat-pump') throw new TypeError("load-control window.device: expected 'ev' or 'heat-pump'");
  if (!Number.isSafeInteger(fromUtc) || !Number.isSafeInteger(toUtc) || toUtc < fromUtc) throw new RangeError('load-control window: expected integer UTC ms with fromUtc ≤ toUtc');
  if (typeof limitKw !== 'number' || !Number.isFinite(limitKw) || limitKw < 0 || limitKw > 50) throw new RangeError('load-control window.limitKw: expected a number 0…50');
  return { commandId, device, fromUtc, toUtc, limitKw };
}

/** Most live instances kept at once (least recently used dropped first). */
const MAX_LIVE = 256;

/** Holds compiled modules and live instances for one secure element. */
export class AppletInstances {
  private readonly modules = new Map<string, AppletModule>();
  /** Live instances by instance AID (its record's hash picks the code). */
  private readonly live = new Map<string, LiveApplet>();
  private readonly crypto: AppletCrypto;
  private calls = 0;

  /**
   * @param compile - compiles a published source (cached here by package hash).
   * @param now - the card's clock.
   * @param random - the card's secure random source, behind the `crypto` capability's key generation.
   * @param primitives - native fast paths for the `crypto` capability (default: noble only).
   */
  constructor(
    private readonly compile: AppletCompiler,
    private readonly now: () => number,
    random: RandomSource,
    primitives: CryptoPrimitives = {},
  ) {
    this.crypto = createAppletCrypto(random, primitives);
  }

  /** The compiled module for a load file (cached by package hash). */
  module(loadFile: Pick<LoadFileRecord, 'hash' | 'source'>): AppletModule {
    const cached = this.modules.get(loadFile.hash);
    if (cached) return cached;
    const module = this.compile(loadFile.source);
    this.modules.set(loadFile.hash, module);
    return module;
  }

  /** Drops every live instance of an AID (after DELETE). */
  forget(aid: string): void {
    this.live.delete(aid);
  }

  /** Number of live instances (for tests and diagnostics). */
  get size(): number {
    return this.live.size;
  }

  /**
   * Calls into an applet instance with its capabilities bound to a copy of `record`'s storage and
   * outbox. Instantiates it first when it is not live (its factory runs under the same binding).
   * @param record - the instance as the state holds it (its `hash` picks the code).
   * @param loadFile - the load file with that hash.
   * @param call - what to do with the live instance.
   * @returns the value and the new workspace, or the error and the refusals recorded before it.
   */
  run<T>(record: AppletRecord, loadFile: LoadFileRecord, call: (live: { manifest: AppletManifest; instance: AppletInstance }) => T): AppletCallResult<T> {
    // Nothing is copied up front: stored values, outbox items and windows are never changed in
    // place, and the capabilities copy storage or outbox on the first write (`Owned`), so the
    // record stays as it was whatever the applet does.
    const workspace: AppletWorkspace = { storage: record.storage, outbox: record.outbox, controls: (record.controls ?? NO_WINDOWS) as LoadControlWindow[], events: [] };
    // Keyed by AID alone (no per-call key string to build and hash); an upgrade changes the hash
    // and the instance is made anew from the new code.
    let live = this.live.get(record.aid);
    if (live) {
      if (live.hash === record.hash) {
        // Keep the record's own string: after a clone of the state the same hash is another string,
        // and comparing one string with itself is a pointer check, not 64 characters.
        live.hash = record.hash;
      } else {
        this.live.delete(record.aid);
        live = undefined;
      }
    }
    const binding: Binding = live?.binding ?? { workspace: null, owned: { storage: false, outbox: false } };
    binding.workspace = workspace;
    binding.owned.storage = false;
    binding.owned.outbox = false;
    try {
      if (!live) {
        const module = this.module(loadFile);
        const made = instantiateApplet(module, this.capabilities(record, loadFile, binding));
        live = { ...made, binding, hash: record.hash, used: ++this.calls };
        this.live.set(record.aid, live);
        if (this.live.size > MAX_LIVE) this.dropLeastRecentlyUsed();
      } else {
        live.used = ++this.calls;
      }
      const value = call(live);
      return { ok: true, value, workspace };
    } catch (error) {
      return { ok: false, error, events: workspace.events };
    } finally {
      binding.workspace = null;
    }
  }

  private dropLeastRecentlyUsed(): void {
    let oldest: [string, number] | undefined;
    for (const [aid, { used }] of this.live) if (!oldest || used < oldest[1]) oldest = [aid, used];
    if (oldest) this.live.delete(oldest[0]);
  }

  private capabilities(record: AppletRecord, loadFile: LoadFileRecord, binding: Binding): AppletCapabilities {
    const work = (): AppletWorkspace => {
      // An applet reaching its storage outside a call (a retained closure) finds nothing.
      if (!binding.workspace) throw new RangeError(`applet ${record.appletId}: storage is only available during a call`);
      return binding.workspace;
    };
    /** The workspace with storage of its own, copied from the record on the call's first write. */
    const writableStorage = (): AppletWorkspace => {
      const workspace = work();
      if (!binding.owned.storage) {
        workspace.storage = { ...workspace.storage };
        binding.owned.storage = true;
      }
      return workspace;
    };
    const sends = new Set(loadFile.manifest.sends);
    const now = this.now;
    return {
      storage: {
        // Values are kept deep-frozen: `get` hands out the stored value itself (no copy per read),
        // `set` keeps what the applet passed as frozen JSON (so it cannot change it afterwards).
        get: (key: string) => {
          const value = work().storage[key];
          return value === undefined ? undefined : frozen(value);
        },
        set: (key: string, value: Json) => {
          if (typeof key !== 'string') throw new TypeError('storage key: expected a string');
          const adopted = adoptJson(value);
          writableStorage().storage[key] = adopted;
        },
        delete: (key: string) => {
          if (Object.hasOwn(work().storage, key)) delete writableStorage().storage[key];
        },
        keys: () => harden(Object.keys(work().storage)),
      },
      outbox: {
        put: (messageClass: string, body: { [key: string]: Json }) => {
          const workspace = work();
          // The privacy contract: only the message classes the manifest declares may leave.
          if (!sends.has(messageClass)) {
            workspace.events.push({ at: now(), kind: 'firewall.send-refused', actor: record.aid, target: String(messageClass), detail: `applet ${record.appletId} may not send ${String(messageClass)}` });
            throw new RangeError(`applet ${record.appletId}: may not send ${String(messageClass)}`);
          }
          const item = freezeJson({ messageClass, body: adoptJson(body) });
          if (!binding.owned.outbox) {
            workspace.outbox = workspace.outbox.slice();
            binding.owned.outbox = true;
          }
          workspace.outbox.push(item);
        },
        size: () => work().outbox.length,
      },
      clock: { now: () => now() },
      // The card manager's crypto (DESIGN.md Decision 10): hex in, hex out, fails closed.
      crypto: this.crypto,
      loadControl: {
        schedule: (window: LoadControlWindow) => {
          const workspace = work();
          const copy = checkedWindow(window);
          // The actuator holds the latest MAX_WINDOWS windows: the oldest scheduled goes first.
          workspace.controls = [...workspace.controls.filter((item) => item.commandId !== copy.commandId), copy].slice(-MAX_WINDOWS);
        },
        cancel: (commandId: string) => {
          const workspace = work();
          workspace.controls = workspace.controls.filter((item) => item.commandId !== commandId);
        },
      },
    };
  }
}
