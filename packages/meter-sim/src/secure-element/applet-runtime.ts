/// <reference types="ses" />
/**
 * Evaluates a published applet in a Hardened JavaScript compartment of its own (SES `Compartment`,
 * after `lockdown()` in the meter core's worker). The compartment's globals are empty and frozen:
 * no fetch, no ambient clock or randomness, no other applet. The applet gets only the capabilities
 * its manifest declares, as hardened functions.
 *
 * One compartment per published package (per realm), not per meter: each meter's instance of the
 * package is a module instance of its own in that compartment — its own module-level bindings,
 * made by running the module body afresh — so the meters of a host share the package's compiled
 * and optimised code instead of each warming up its own copy (BENCHMARKS.md, "Every applet
 * active"). Nothing else is shared: the global object is frozen and empty, and a package may not
 * import anything, so no module instance can reach another.
 */
import type { AppletCapabilities, AppletInstance, AppletManifest, CapabilityName } from './applet';

/** A parsed applet module, reusable across meters (parsing is the expensive part). */
export interface AppletModule {
  readonly source: string;
  /** The SES ModuleSource for `source`. */
  readonly moduleSource: unknown;
}

/** The static imports a ModuleSource lists (SES ModuleSource and @endo/module-source both expose them). */
function importsOf(moduleSource: unknown): readonly string[] {
  const imports = (moduleSource as { imports?: unknown }).imports;
  return Array.isArray(imports) ? (imports as string[]) : [];
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
  const moduleSource = new ModuleSourceCtor(source);
  const imports = importsOf(moduleSource);
  if (imports.length > 0) throw new AppletLoadError(`applet: a published applet may not import anything (it imports ${imports.slice(0, 3).join(', ')})`);
  const module: AppletModule = Object.freeze({ source, moduleSource });
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

/** A package's compartment and how many module instances it has made. */
interface PackageCompartment {
  compartment: Compartment;
  instances: number;
  /** The one specifier the compartment will load next (set only around `importNow`). */
  loading: string | null;
}

/** One compartment per parsed package; its module map keeps every instance made, so it is replaced after this many. */
const INSTANCES_PER_COMPARTMENT = 4096;
const compartments = new WeakMap<AppletModule, PackageCompartment>();

function packageCompartment(module: AppletModule): PackageCompartment {
  const kept = compartments.get(module);
  if (kept && kept.instances < INSTANCES_PER_COMPARTMENT) return kept;
  const made: PackageCompartment = { compartment: undefined as unknown as Compartment, instances: 0, loading: null };
  made.compartment = new Compartment({
    __options__: true,
    globals: {},
    // Only the instance being made is ever loaded: any other specifier is refused.
    moduleMapHook: (specifier: string) => (specifier === made.loading ? { source: module.moduleSource } : undefined),
    importHook: (specifier: string) => {
      throw new AppletLoadError(`applet: cannot import ${String(specifier).slice(0, 64)}`);
    },
  } as never);
  // A frozen global object, before any module is evaluated: an applet can neither add globals nor
  // replace the shared intrinsics it sees, and SES then binds every global (Math, Set, Array…) as
  // a constant of the module's scope instead of looking it up through its scope proxy on each use
  // (≈ 50× less per lookup; globals were most of an applet's own time on a meter day).
  Object.freeze(made.compartment.globalThis);
  compartments.set(module, made);
  return made;
}

/** A new module instance of a package: the module body runs afresh, with bindings of its own. */
function newModuleInstance(module: AppletModule): unknown {
  const shared = packageCompartment(module);
  const specifier = `instance/${shared.instances++}`;
  shared.loading = specifier;
  try {
    return shared.compartment.importNow(specifier);
  } finally {
    shared.loading = null;
  }
}

const KNOWN_CAPABILITIES: readonly CapabilityName[] = ['metrology', 'storage', 'outbox', 'clock', 'crypto', 'load-control'];

/**
 * Instantiates an applet: a new module instance of its package (module-level state of its own) in
 * the package's compartment, and its factory called with the granted capabilities.
 * @param module - the parsed published file.
 * @param grant - capabilities the card manager is willing to hand over; only those the manifest
 *   declares are passed in.
 * @throws {AppletLoadError} when the file lacks a manifest or default factory, or declares an
 *   unknown capability.
 */
export function instantiateApplet(module: AppletModule, grant: AppletCapabilities): { manifest: AppletManifest; instance: AppletInstance } {
  const namespace = newModuleInstance(module) as { manifest?: AppletManifest; default?: (caps: AppletCapabilities) => AppletInstance };
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
