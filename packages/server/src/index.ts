export { loadConfig } from './config.ts';
export { createApp } from './http/app.ts';
export { openStores } from './stores.ts';
