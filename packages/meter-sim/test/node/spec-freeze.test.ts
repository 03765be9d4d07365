// The spec-exact Object.freeze that Node hosts install before SES (node/spec-freeze.ts): the same
// frozen objects as the native function, and a locked-down realm that is still locked down.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lockedDown, specFreeze } from '../../node/spec-freeze';

type Sample = () => unknown;
const samples: Record<string, Sample> = {
  'plain object': () => ({ a: 1, b: { c: 2 }, [Symbol('s')]: 3 }),
  array: () => [1, 2, 3],
  'accessor property': () => Object.defineProperty({}, 'x', { get: () => 1, set: () => undefined, enumerable: true, configurable: true }),
  function: () => function named() {},
  'empty typed array': () => new Uint8Array(0),
  'null prototype': () => Object.assign(Object.create(null) as object, { k: 'v' }),
};

function shape(value: unknown): unknown {
  if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return value;
  const object = value as object;
  return {
    frozen: Object.isFrozen(object),
    extensible: Object.isExtensible(object),
    keys: Reflect.ownKeys(object).map((key) => {
      const d = Reflect.getOwnPropertyDescriptor(object, key);
      return [String(key), d?.configurable, 'value' in (d ?? {}) ? d?.writable : 'accessor', d?.enumerable];
    }),
  };
}

describe('specFreeze', () => {
  for (const [name, make] of Object.entries(samples)) {
    it(`freezes a ${name} exactly as the native Object.freeze does`, () => {
      const ours = make();
      const native = make();
      expect(specFreeze(ours)).toBe(ours);
      Object.freeze(native);
      expect(shape(ours)).toEqual(shape(native));
      expect(Object.isFrozen(ours)).toBe(true);
    });
  }

  it('refuses to switch to the native function before lockdown has run', () => {
    expect(() => lockedDown()).toThrow(/lockdown\(\) has not run/);
  });

  it('returns primitives unchanged and refuses what the native function refuses', () => {
    expect(specFreeze(7)).toBe(7);
    expect(specFreeze('s')).toBe('s');
    expect(specFreeze(null)).toBe(null);
    // A typed array with elements cannot be frozen (its elements stay writable): both throw.
    expect(() => Object.freeze(new Uint8Array(2))).toThrow(TypeError);
    expect(() => specFreeze(new Uint8Array(2))).toThrow(TypeError);
    // A proxy that refuses to become non-extensible.
    const stubborn = new Proxy({}, { preventExtensions: () => false });
    expect(() => Object.freeze(stubborn)).toThrow(TypeError);
    expect(() => specFreeze(stubborn)).toThrow(TypeError);
  });

  it('after lockdown in a fresh Node process: every intrinsic frozen, harden deep, compartments cannot change the realm', () => {
    const script = fileURLToPath(new URL('./spec-freeze-lockdown.fixture.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    expect(JSON.parse(out.trim().split('\n').at(-1) ?? '{}')).toEqual({
      installed: true,
      intrinsicsFrozen: true,
      freezeIsOurs: true,
      freezeFrozen: true,
      laterFreezeWorks: true,
      hardenDeep: true,
      compartmentMutation: 'TypeError',
      compartmentFreezeSwap: 'TypeError',
    });
  });
});
