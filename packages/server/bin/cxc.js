#!/usr/bin/env node
// The CLI runs the TypeScript sources directly (no build step for internal packages): tsx compiles on load.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
