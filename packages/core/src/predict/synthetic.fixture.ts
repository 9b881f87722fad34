import { Rng } from '../demo/rng.ts';
import type { Dataset } from './types.ts';

/**
 * A seeded test dataset with a known shape: y depends on `a` linearly and on |b| (a tree finds the
 * second, a linear model cannot), `noise` carries nothing. Same data on every run and platform.
 */
export function syntheticDataset(n: number, seed = 1): Dataset {
  const rng = new Rng(seed);
  const p = 3;
  const x = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    x.set([a, b, rng.normal()], i * p);
    y[i] = rng.next() < 1 / (1 + Math.exp(-(1.5 * a + 2 * (Math.abs(b) - 0.8) - 1))) ? 1 : 0;
  }
  return { x, y, n, p, features: ['a', 'b', 'noise'] };
}
