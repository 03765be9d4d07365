// The code of the RelayError a promise rejects with; fails the test when it resolves or rejects
// with anything else.
import { RelayError } from '../src/errors';

/** Awaits `promise` and returns its RelayError's code. */
export async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RelayError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}
