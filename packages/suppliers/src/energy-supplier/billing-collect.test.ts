// The billing collect codec: exactly the privacy contract's classes and fields, garbage refused.
import { utf8ToBytes } from '@hydra/globalplatform';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBillingCollect } from './billing-collect';

const collect = (items: unknown[]) => utf8ToBytes(JSON.stringify({ items }));
const statement = { statementId: '2025-01/t1', period: '2025-01', amountPence: 9000, importWh: 250_000, exportWh: 0 };
const daily = { date: '2025-01-05', resolution: 'daily', importWh: 8123, exportWh: 12 };
const halfHourly = { date: '2025-03-30', resolution: 'half-hourly', importWh: new Array(46).fill(100), exportWh: new Array(46).fill(0) };

describe('parseBillingCollect', () => {
  it('returns statements and consented reads, drops tariff acks', () => {
    expect(
      parseBillingCollect(
        collect([
          { messageClass: 'bill-statement', body: statement },
          { messageClass: 'consented-reads', body: daily },
          { messageClass: 'consented-reads', body: halfHourly },
          { messageClass: 'tariff-ack', body: { tariffId: 't1', result: 'applied', reason: null } },
        ]),
      ),
    ).toEqual({ statements: [statement], reads: [daily, halfHourly] });
    expect(parseBillingCollect(collect([]))).toEqual({ statements: [], reads: [] });
  });

  it('refuses any class or field outside the contract', () => {
    const bad: unknown[][] = [
      [{ messageClass: 'raw-reads', body: { importWh: [1] } }],
      [{ messageClass: 'consented-reads', body: { ...daily, occupancy: 'away' } }],
      [{ messageClass: 'consented-reads', body: { ...daily, resolution: 'minute' } }],
      [{ messageClass: 'consented-reads', body: { ...halfHourly, importWh: [1, 2] } }],
      [{ messageClass: 'consented-reads', body: { ...daily, importWh: -5 } }],
      [{ messageClass: 'consented-reads', body: { ...daily, date: '5 Jan' } }],
      [{ messageClass: 'bill-statement', body: { ...statement, readings: [1] } }],
      [{ messageClass: 'tariff-ack', body: { tariffId: 't1', result: 'applied', reason: null, reads: [] } }],
    ];
    for (const items of bad) expect(() => parseBillingCollect(collect(items))).toThrow();
  });

  it('never accepts garbage bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        let parsed: ReturnType<typeof parseBillingCollect> | null = null;
        try {
          parsed = parseBillingCollect(bytes);
        } catch {
          parsed = null;
        }
        if (parsed) expect(parsed).toEqual({ statements: [], reads: [] });
      }),
    );
  });
});
