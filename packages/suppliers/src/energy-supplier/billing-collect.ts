/**
 * The one codec for what the supplier's collect brings back from a billing applet (STYLE.md rule
 * 7): the COLLECT response `{ items: [{ messageClass, body }] }`, each item checked against the
 * privacy contract (DESIGN.md message catalog) field by field — bill statements, consented reads,
 * tariff acks — and nothing else. Anything outside it fails the whole response.
 */
import { bytesToUtf8 } from '@hydra/globalplatform';
import { z } from 'zod';

/** A monthly bill statement: period, amount, register totals. */
const statementSchema = z
  .object({
    statementId: z.string().min(1).max(100),
    period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    amountPence: z.number().int().min(-100_000_000).max(100_000_000),
    importWh: z.number().int().min(0).max(1_000_000_000),
    exportWh: z.number().int().min(0).max(1_000_000_000),
  })
  .strict();

const wh = z.number().int().min(0).max(1_000_000_000);
/** 'consented-reads' as the privacy contract defines it: daily totals or one value per half hour. */
const readsSchema = z.discriminatedUnion('resolution', [
  z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), resolution: z.literal('daily'), importWh: wh, exportWh: wh }).strict(),
  z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), resolution: z.literal('half-hourly'), importWh: z.array(wh).min(46).max(50), exportWh: z.array(wh).min(46).max(50) }).strict(),
]);
/** What a billing applet may put in its outbox for the supplier (the tariff ack is read and dropped). */
const BILLING_CLASSES = ['bill-statement', 'consented-reads', 'tariff-ack'];

const collectSchema = z.object({ items: z.array(z.object({ messageClass: z.string(), body: z.record(z.string(), z.unknown()) })) });

/** A monthly bill statement as the meter sends it. */
export type BillStatement = z.infer<typeof statementSchema>;
/** One day of reads the householder shared. */
export type ConsentedReads = z.infer<typeof readsSchema>;

/**
 * Parses a billing applet's COLLECT response data.
 * @returns the statements and the consented reads it carries (tariff acks are dropped).
 * @throws {Error} when the bytes are not UTF-8 JSON of that shape, or an item is of a class or
 *   has fields the privacy contract does not give the supplier.
 */
export function parseBillingCollect(data: Uint8Array): { statements: BillStatement[]; reads: ConsentedReads[] } {
  const document = collectSchema.parse(JSON.parse(bytesToUtf8(data)));
  const outside = document.items.find((item) => !BILLING_CLASSES.includes(item.messageClass));
  if (outside) throw new RangeError(`collect: ${outside.messageClass.slice(0, 40)} is not a message class the billing applet may send`);
  const acks = z.object({ tariffId: z.string().max(64), result: z.enum(['applied', 'refused']), reason: z.string().max(500).nullable() }).strict();
  for (const item of document.items) if (item.messageClass === 'tariff-ack') acks.parse(item.body);
  return {
    statements: document.items.filter((item) => item.messageClass === 'bill-statement').map((item) => statementSchema.parse(item.body)),
    reads: document.items.filter((item) => item.messageClass === 'consented-reads').map((item) => readsSchema.parse(item.body)),
  };
}
