import { describe, expect, it } from 'vitest';
import { isUniqueViolation, uniqueViolationFields } from './errors';

/** Shaped like Prisma's PrismaClientKnownRequestError as thrown through a driver adapter. */
function knownError(code: string, meta: Record<string, unknown>): Error {
  return Object.assign(new Error('Unique constraint failed'), { name: 'PrismaClientKnownRequestError', code, meta });
}

function adapterMeta(fields: unknown): Record<string, unknown> {
  return { modelName: 'Home', driverAdapterError: { cause: { kind: 'UniqueConstraintViolation', constraint: { fields } } } };
}

describe('isUniqueViolation / uniqueViolationFields', () => {
  it('reads the fields from meta.driverAdapterError.cause.constraint.fields (adapters)', () => {
    const error = knownError('P2002', adapterMeta(['worldId', 'index']));
    expect(isUniqueViolation(error)).toBe(true);
    expect(uniqueViolationFields(error)).toEqual(['worldId', 'index']);
  });

  it('removes PostgreSQL identifier quotes', () => {
    expect(uniqueViolationFields(knownError('P2002', adapterMeta(['"meterId"', ' period'])))).toEqual(['meterId', 'period']);
  });

  it('falls back to meta.target (native engine), as a list or a single name', () => {
    expect(uniqueViolationFields(knownError('P2002', { target: ['meterId'] }))).toEqual(['meterId']);
    expect(uniqueViolationFields(knownError('P2002', { target: 'Home_meterId_key' }))).toEqual(['Home_meterId_key']);
  });

  it('gives [] for a P2002 whose driver named no fields', () => {
    expect(uniqueViolationFields(knownError('P2002', {}))).toEqual([]);
    expect(uniqueViolationFields(knownError('P2002', adapterMeta([1, 2])))).toEqual([]);
    expect(uniqueViolationFields(Object.assign(knownError('P2002', {}), { meta: undefined }))).toEqual([]);
  });

  it('is false / undefined for other errors and garbage', () => {
    for (const other of [
      knownError('P2003', adapterMeta(['worldId'])),
      Object.assign(new Error('x'), { code: 'P2002' }), // not a Prisma error
      { name: 'PrismaClientKnownRequestError', code: 'P2002', meta: {} }, // not an Error
      new TypeError('P2002'),
      null,
      undefined,
      'P2002',
      42,
    ]) {
      expect(isUniqueViolation(other)).toBe(false);
      expect(uniqueViolationFields(other)).toBeUndefined();
    }
  });
});
