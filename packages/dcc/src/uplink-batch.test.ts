// The batch's limits and body schema (what `POST /api/dcc/uplink/batch` takes) and how a hub splits
// its uplinks into batches.
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_BODY_BYTES, MAX_BATCH_BYTES, MAX_BATCH_ENVELOPES, splitIntoBatches, uplinkBatchSchema } from './uplink-batch';

const sized = (...sizes: number[]) => sizes.map((size) => new Uint8Array(size));

describe('uplink batches', () => {
  it('splits in order within the count and byte limits, every envelope exactly once', () => {
    expect(splitIntoBatches(sized(10, 10, 10, 10, 10), 2)).toEqual([[0, 1], [2, 3], [4]]);
    expect(splitIntoBatches(sized(600, 600, 300, 700), 10, 1000)).toEqual([[0], [1, 2], [3]]);
    // One envelope over the byte limit still goes, alone: the relay refuses it with its reason.
    expect(splitIntoBatches(sized(10, 5000, 10), 10, 1000)).toEqual([[0], [1], [2]]);
    expect(splitIntoBatches([])).toEqual([]);
    const many = splitIntoBatches(sized(...new Array<number>(600).fill(1)));
    expect(many.map((batch) => batch.length)).toEqual([MAX_BATCH_ENVELOPES, MAX_BATCH_ENVELOPES, 600 - 2 * MAX_BATCH_ENVELOPES]);
    expect(many.flat()).toEqual([...Array(600).keys()]);
  });

  it('reads a body big enough for a full batch, and one over the limits so the relay can refuse and record it', () => {
    const fullBatchJson = Math.ceil((MAX_BATCH_BYTES * 4) / 3) + MAX_BATCH_ENVELOPES * 3 + 20;
    expect(MAX_BATCH_BODY_BYTES).toBeGreaterThan(fullBatchJson);
    expect(MAX_BATCH_BODY_BYTES).toBeLessThan(4 * MAX_BATCH_BYTES);
  });

  it('takes only { envelopes: [base64url, …] }, at least one', () => {
    expect(uplinkBatchSchema.parse({ envelopes: ['SFkB', 'SFkBAA'] })).toEqual({ envelopes: ['SFkB', 'SFkBAA'] });
    for (const bad of [null, [], 'x', {}, { envelopes: [] }, { envelopes: 'SFkB' }, { envelopes: ['SF+B'] }, { envelopes: ['SFkBA'] }, { envelopes: [7] }, { envelopes: ['SFkB'], extra: 1 }]) {
      expect(uplinkBatchSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
