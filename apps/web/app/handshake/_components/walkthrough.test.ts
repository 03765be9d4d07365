import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runWalkthrough } from './walkthrough';

const random = (n: number) => new Uint8Array(randomBytes(n));

describe('SCP11b walkthrough on a demonstration channel', () => {
  it('recomputes the receipt and session keys independently, and they match the real run', () => {
    const steps = runWalkthrough(random);
    expect(steps.map((s) => s.id)).toEqual(['keys', 'get-data', 'cert', 'internal-authenticate', 'card-answer', 'derive', 'receipt', 'first-command']);
    const receipt = steps.find((s) => s.id === 'receipt')?.fields ?? [];
    const fromCard = receipt.find((f) => f.label === 'Receipt from the card')?.value;
    const recomputed = receipt.find((f) => f.label === 'Receipt recomputed here');
    expect(fromCard).toMatch(/^[0-9a-f]{32}$/);
    expect(recomputed?.value).toBe(fromCard);
    expect(recomputed?.note).toBe('matches');
    expect(receipt.find((f) => f.label.startsWith('Host session keys'))?.value).toBe('true');
    const first = steps.find((s) => s.id === 'first-command')?.fields ?? [];
    expect(first.find((f) => f.label === 'Card unwrapped data')?.note).toBe('same as sent');
    expect(first.find((f) => f.label.startsWith('Wrapped'))?.value).not.toBe(first.find((f) => f.label.startsWith('Plain'))?.value);
  });

  it('uses fresh keys every run', () => {
    const a = runWalkthrough(random).find((s) => s.id === 'derive')?.fields?.[0]?.value;
    const b = runWalkthrough(random).find((s) => s.id === 'derive')?.fields?.[0]?.value;
    expect(a).not.toBe(b);
  });

  it('shows the status words the card answered with', () => {
    const steps = runWalkthrough(random);
    expect(steps.find((s) => s.id === 'cert')?.status).toMatch(/^9000 /);
    expect(steps.find((s) => s.id === 'card-answer')?.status).toMatch(/^9000 /);
  });
});
