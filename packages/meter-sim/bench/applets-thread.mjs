// A worker thread of `applets.bench.ts --threads=N`: Node 20 cannot run TypeScript itself, so the
// thread registers tsx and then loads the benchmark, which sees it is not the main thread.
import { register } from 'tsx/esm/api';

register();
await import('./applets.bench.ts');
