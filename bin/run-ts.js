#!/usr/bin/env node
import { resolve } from 'node:path';
// Runs a TypeScript file of this repository (benchmarks, scripts) with tsx: `node bin/run-ts.js file.ts args…`.
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const [file, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(file), ...rest];
await import(pathToFileURL(resolve(file)).href);
