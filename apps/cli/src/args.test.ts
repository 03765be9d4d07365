import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args';

describe('hydra run arguments', () => {
  it('defaults to telecare for single pensioners and no load control', () => {
    expect(parseArgs(['run'])).toMatchObject({ command: 'run', telecare: { kind: 'single-pensioners' }, loadControl: null });
  });

  it('takes --telecare and --load-control', () => {
    expect(parseArgs(['run', '--telecare', '2,5-6', '--load-control', 'heat-pump'])).toMatchObject({ telecare: { kind: 'homes', numbers: [2, 5, 6] }, loadControl: 'heat-pump' });
    expect(parseArgs(['--telecare', 'none', '--load-control', 'ev'])).toMatchObject({ telecare: { kind: 'none' }, loadControl: 'ev' });
  });

  it('refuses a bad value with a usage error that names the option and what it takes', () => {
    expect(() => parseArgs(['run', '--telecare'])).toThrow(UsageError);
    expect(() => parseArgs(['run', '--telecare', 'everyone'])).toThrow(/^--telecare: expected none, all, single-pensioners or home numbers/);
    expect(() => parseArgs(['run', '--load-control'])).toThrow('--load-control: expected ev or heat-pump, got nothing');
    expect(() => parseArgs(['run', '--load-control', 'kettle'])).toThrow('--load-control: expected ev or heat-pump, got kettle');
  });
});
