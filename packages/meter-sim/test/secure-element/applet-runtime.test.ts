// Parsing a published applet once per host: the same source gives the same parsed module (many
// meters share it), another source another module, and instances made from a shared module keep
// their own state.
import { describe, expect, it } from 'vitest';
import { AppletLoadError, instantiateApplet, parseAppletModule } from '../../src/secure-element/applet-runtime';
import { BILLING_SOURCE } from './fixture';
import { ModuleSource } from '@endo/module-source';

const Ctor = ModuleSource as unknown as new (text: string) => unknown;

describe('parseAppletModule', () => {
  it('parses each distinct source once and hands the same frozen module back', () => {
    const first = parseAppletModule(BILLING_SOURCE, Ctor);
    // A different string object with the same text: still the same module.
    const again = parseAppletModule(`${BILLING_SOURCE.slice(0, 10)}${BILLING_SOURCE.slice(10)}`, Ctor);
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const other = parseAppletModule(`${BILLING_SOURCE}\n// another build\n`, Ctor);
    expect(other).not.toBe(first);
    expect(other.source.endsWith('// another build\n')).toBe(true);
  });

  it('instances made from one shared module keep separate storage', () => {
    const module = parseAppletModule(BILLING_SOURCE, Ctor);
    const stores = [new Map<string, unknown>(), new Map<string, unknown>()];
    const [a, b] = stores.map((store) =>
      instantiateApplet(module, {
        storage: harden({ get: (key: string) => store.get(key) as never, set: (key: string, value: unknown) => void store.set(key, value), delete: (key: string) => void store.delete(key), keys: () => [...store.keys()] }),
        outbox: harden({ put: () => undefined, size: () => 0 }),
      }),
    );
    expect(a?.instance).not.toBe(b?.instance);
    a?.instance.process?.({ name: 'personalise', body: { meterId: 'meter-a' } });
    expect(stores[0]?.get('meterId')).toBe('meter-a');
    expect(stores[1]?.size).toBe(0);
  });

  it('gives each applet a frozen global object: it cannot add a global or replace an intrinsic, and its neighbours never see one', () => {
    const probe = (body: string) =>
      parseAppletModule(
        `export const manifest = { id: 'probe', version: '1.0.0', owner: 'supplier', capabilities: [], sends: [], description: 'probe' };
export default function create() { return { process() { ${body} } }; }`,
        Ctor,
      );
    const writer = instantiateApplet(probe("globalThis.leak = 'secret'; return { status: 0x9000, body: {} };"), {});
    expect(() => writer.instance.process?.({ name: 'x', body: {} })).toThrow(TypeError);
    const replacer = instantiateApplet(probe('Math = { floor: () => 0 }; return { status: 0x9000, body: {} };'), {});
    expect(() => replacer.instance.process?.({ name: 'x', body: {} })).toThrow(TypeError);
    const reader = instantiateApplet(probe("return { status: 0x9000, body: { leak: typeof globalThis.leak, floor: Math.floor(2.5) } };"), {});
    expect(reader.instance.process?.({ name: 'x', body: {} })).toEqual({ status: 0x9000, body: { leak: 'undefined', floor: 2 } });
  });

  it('gives every instance module-level state of its own, though instances of a package share its compartment', () => {
    const module = parseAppletModule(
      `export const manifest = { id: 'counter', version: '1.0.0', owner: 'supplier', capabilities: [], sends: [], description: 'counter' };
let calls = 0;
export let last = null;
export default function create() { return { process(command) { calls += 1; last = command.name; return { status: 0x9000, body: { calls } }; } }; }`,
      Ctor,
    );
    const [a, b] = [instantiateApplet(module, {}), instantiateApplet(module, {})];
    a.instance.process?.({ name: 'one', body: {} });
    expect(a.instance.process?.({ name: 'two', body: {} })).toEqual({ status: 0x9000, body: { calls: 2 } });
    expect(b.instance.process?.({ name: 'three', body: {} })).toEqual({ status: 0x9000, body: { calls: 1 } });
  });

  it('refuses a package that imports anything (it could reach another meter\'s instance of itself)', () => {
    for (const line of ["import other from 'instance/0';", "export * from 'instance/0';", "import 'fs';"]) {
      expect(() =>
        parseAppletModule(`${line}\nexport const manifest = { id: 'x', version: '1.0.0', owner: 'supplier', capabilities: [], sends: [], description: 'x' };\nexport default function create() { return {}; }`, Ctor),
      ).toThrow(AppletLoadError);
    }
  });

  it('refuses an empty source', () => {
    expect(() => parseAppletModule('', Ctor)).toThrow(TypeError);
  });
});
