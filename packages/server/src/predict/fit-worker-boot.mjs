// Entry of the model-fitting worker thread. A worker starts without the parent's TypeScript loader
// (tsx under the CLI, Vite under Vitest), so it registers tsx itself before importing the TS worker.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
