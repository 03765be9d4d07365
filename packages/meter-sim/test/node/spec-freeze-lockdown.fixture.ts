// Run by spec-freeze.test.ts in its own Node process: install, load SES, lock down, report.
import { hostFreeze, installSpecFreeze, lockedDown } from '../../node/spec-freeze';
const installed = Object.freeze === hostFreeze;
await import('ses');
lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', reporting: 'none' });
lockedDown();
const intrinsics = [Object.prototype, Array.prototype, Function.prototype, Object.getPrototypeOf(Uint8Array.prototype), Uint8Array.prototype, Object, Math, JSON, Reflect];
const hardened = harden({ a: { b: [1, { c: 2 }] } });
const compartment = new Compartment();
const attempt = (source: string) => {
  try {
    compartment.evaluate(source);
    return 'changed';
  } catch (error) {
    return (error as Error).constructor.name;
  }
};
console.log(
  JSON.stringify({
    installed: installed && installSpecFreeze() === false,
    intrinsicsFrozen: intrinsics.every((o) => Object.isFrozen(o)),
    freezeIsOurs: Object.freeze === hostFreeze,
    freezeFrozen: Object.isFrozen(hostFreeze),
    laterFreezeWorks: Object.isFrozen(Object.freeze({ late: [1] })),
    hardenDeep: Object.isFrozen(hardened.a.b[1]),
    compartmentMutation: attempt('"use strict"; Object.prototype.polluted = 1;'),
    compartmentFreezeSwap: attempt('"use strict"; Object.freeze = (o) => o;'),
  }),
);
