#!/usr/bin/env node
// Convenience for `node bin/cxc.js …` from the repository root; the CLI itself is packages/server/bin/cxc.js (`npx cxc`).
await import('../packages/server/bin/cxc.js');
