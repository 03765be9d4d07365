import { describe, expect, it } from 'vitest';
import { FRAME_BUCKETS, frameApdu, unframeApdu } from './apdu-frame';
import { RelayError } from './errors';

describe('APDU frame (fixed-size buckets)', () => {
  it('round-trips and pads every APDU to a bucket, so sizes reveal only the bucket', () => {
    for (const length of [2, 5, 200, 252, 253, 1000, 5000]) {
      const apdu = Uint8Array.from({ length }, (_, i) => (i * 7 + 1) & 0xff);
      const frame = frameApdu(apdu);
      expect(FRAME_BUCKETS).toContain(frame.length);
      expect(unframeApdu(frame)).toEqual(apdu);
    }
    expect(frameApdu(new Uint8Array(10)).length).toBe(frameApdu(new Uint8Array(200)).length);
  });

  it('refuses garbage: wrong sizes, lengths that do not fit, non-zero padding', () => {
    const frame = frameApdu(Uint8Array.of(0x90, 0x00));
    const tampered = frame.slice();
    tampered[100] = 1;
    for (const bad of [new Uint8Array(0), new Uint8Array(100), tampered, Uint8Array.from(frame).fill(0xff, 0, 4)]) {
      expect(() => unframeApdu(bad)).toThrow(RelayError);
    }
    expect(() => frameApdu(new Uint8Array(70_000))).toThrow(RelayError);
  });
});
