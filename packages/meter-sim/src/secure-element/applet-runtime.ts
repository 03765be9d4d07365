/// <reference types="ses" />
/**
 * Evaluates a published applet in its own Hardened JavaScript compartment (SES `Compartment`,
 * after `lockdown()` in the meter core's worker). The compartment's globals are empty: no fetch,
 * no ambient clock or randomness, no other applet. The applet gets only the capabilities its
 * manifest declares, as hardened functions.
 */
import type { AppletCapabilities, AppletInstance, AppletManifest, CapabilityName } from './applet';

/** A parsed applet module, reusable across meters (parsing is the expensive part). */
export interface AppletModule {
  readonly source: string;
  /** The SES ModuleSource for `source`. */
  readonly moduleSource: unknown;
}

/** Parsed modules per ModuleSource constructor, by exact source text (a host parses each published file once). */
const parsed = new WeakMap<object, Map<string, AppletModule>>();
/** Distinct sources kept per constructor; the least recently parsed is dropped beyond it. */
const PARSED_LIMIT = 32;

/**
 * Creates an applet module from its published source using a ModuleSource constructor. A host with
 * many meters parses each distinct source once: the module is immutable and every meter
 * instantiates it in a compartment of its own, so sharing it shares no state.
 */
export function parseAppletModule(source: string, ModuleSourceCtor: new (text: string) => unknown): AppletModule {
  if (typeof source !== 'string' || source.length === 0) throw new TypeError('applet source: expected a non-empty string');
  let bySource = parsed.get(ModuleSourceCtor);
  if (!bySource) parsed.set(ModuleSourceCtor, (bySource = new Map()));
  const hit = bySource.get(source);
  if (hit) return hit;
  const module: AppletModule = Object.freeze({ source, moduleSource: new ModuleSourceCtor(source) });
  if (bySource.size >= PARSED_LIMIT) bySource.delete(bySource.keys().next().value as string);
  bySource.set(source, module);
  return module;
}

/** Error raised when an applet asks for more than its manifest grants or its file is malformed. */
export class AppletLoadError extends Error {
  readonly code = 'APPLET_LOAD_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'AppletLoadError';
  }
}

const KNOWN_CAPABILITIES: readonly CapabilityName[] = ['metrology', 'storage', 'outbox', 'clock', 'crypto', 'load-control'];

/**
 * Instantiates an applet in a fresh compartment.
 * @param module - the parsed published file.
 * @param grant - capabilities the card manager is willing to hand over; only those the manifest
 *   declares are passed in.
 * @throws {AppletLoadError} when the file lacks a manifest or default factory, or declares an
 *   unknown capability.
 */
export function instantiateApplet(module: AppletModule, grant: AppletCapabilities): { manifest: AppletManifest; instance: AppletInstance } {
  const compartment = new Compartment({
    __options__: true,
    globals: {},
    modules: { applet: { source: module.moduleSource } },
  } as never);
  // A frozen global object, before the module is evaluated: an applet can neither add globals nor
  // replace the shared intrinsics it sees, and SES then binds every global (Math, Set, Array…) as
  // a constant of the module's scope instead of looking it up through its scope proxy on each use
  // (≈ 50× less per lookup; globals were most of an applet's own time on a meter day).
  Object.freeze(compartment.globalThis);
  const namespace = compartment.importNow('applet') as { manifest?: AppletManifest; default?: (caps: AppletCapabilities) => AppletInstance };
  const manifest = namespace.manifest;
  if (!manifest || typeof manifest.id !== 'string' || !Array.isArray(manifest.capabilities)) {
    throw new AppletLoadError('applet: the file must export a manifest with id and capabilities');
  }
  if (typeof namespace.default !== 'function') throw new AppletLoadError(`applet ${manifest.id}: the file must export a default factory`);
  for (const capability of manifest.capabilities) {
    if (!KNOWN_CAPABILITIES.includes(capability)) throw new AppletLoadError(`applet ${manifest.id}: unknown capability ${String(capability)}`);
  }
  const caps: AppletCapabilities = {};
  if (manifest.capabilities.includes('storage') && grant.storage) caps.storage = grant.storage;
  if (manifest.capabilities.includes('outbox') && grant.outbox) caps.outbox = grant.outbox;
  if (manifest.capabilities.includes('clock') && grant.clock) caps.clock = grant.clock;
  if (manifest.capabilities.includes('crypto') && grant.crypto) caps.crypto = grant.crypto;
  if (manifest.capabilities.includes('load-control') && grant.loadControl) caps.loadControl = grant.loadControl;
  const instance = namespace.default(harden(caps));
  if (!instance || typeof instance !== 'object') throw new AppletLoadError(`applet ${manifest.id}: the factory must return an object`);
  return { manifest, instance };
}
