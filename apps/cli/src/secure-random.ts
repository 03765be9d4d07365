/**
 * The host's cryptographically secure random source (node:crypto's CSPRNG), injected into every
 * domain object that makes keys, nonces or message ids.
 */
import { randomBytes } from 'node:crypto';
import type { RandomSource } from '@hydra/globalplatform';

/** Secure random bytes. */
export const secureRandom: RandomSource = (length) => new Uint8Array(randomBytes(length));
