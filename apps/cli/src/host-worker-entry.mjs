// Worker-thread entry: registers tsx in this thread before loading the TypeScript host.
import { register } from 'tsx/esm/api';

register();
await import('./host-worker.ts');
