#!/usr/bin/env node
// The `hydra` command: loads the TypeScript CLI through tsx (Node 20 cannot run .ts itself).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
