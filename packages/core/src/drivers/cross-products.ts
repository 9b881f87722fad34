/**
 * The bootstrap's inner loop: weighted sums Σ c_i z_ij and cross-products Σ c_i z_ij z_ik (upper
 * triangle) over the rows of a row-major matrix with `stride` columns, c_i the row's resample count.
 * It runs B × n times (10⁸ rows for 1,000 resamples of 100,000 responses), so the common widths have
 * unrolled kernels whose accumulators are local variables the JIT keeps in registers; indexing a typed
 * array for every update is about three times slower. The unrolled kernels are built from one template
 * (`unrolledSource`) on first use rather than written out per width, so every width runs the same
 * arithmetic in the same order (same sums to the bit as the loop below) and a new width is one entry in
 * UNROLLED_STRIDES.
 */
export const UNROLLED_STRIDES = [8, 12] as const;

/** The row stride to store data of `q` columns in: the smallest unrolled width that fits, else q. */
export function strideFor(q: number): number {
  return UNROLLED_STRIDES.find((s) => s >= q) ?? q;
}

type Kernel = (z: Float64Array, counts: Int32Array, n: number, s1: Float64Array, s2: Float64Array) => void;

const kernels = new Map<number, Kernel>();

export function crossProducts(
  z: Float64Array,
  stride: number,
  counts: Int32Array,
  n: number,
  s1: Float64Array,
  s2: Float64Array,
): void {
  const unrolled = unrolledKernel(stride);
  if (unrolled) {
    unrolled(z, counts, n, s1, s2);
    return;
  }
  s1.fill(0);
  s2.fill(0);
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    const base = i * stride;
    for (let j = 0; j < stride; j++) {
      const wj = c * z[base + j]!;
      s1[j] = s1[j]! + wj;
      const row = j * stride;
      for (let k = j; k < stride; k++) s2[row + k] = s2[row + k]! + wj * z[base + k]!;
    }
  }
}

function unrolledKernel(stride: number): Kernel | undefined {
  if (!(UNROLLED_STRIDES as readonly number[]).includes(stride)) return undefined;
  let kernel = kernels.get(stride);
  if (!kernel) {
    // The source is built from integers only, never from input data.
    kernel = new Function('z', 'counts', 'n', 's1', 's2', unrolledSource(stride)) as Kernel;
    kernels.set(stride, kernel);
  }
  return kernel;
}

/**
 * The body of the stride-`q` kernel: one local accumulator t_j per sum and a_j_k per entry of the
 * upper triangle, each row's values read once into locals, results written out after the loop.
 */
function unrolledSource(q: number): string {
  const cols = Array.from({ length: q }, (_, j) => j);
  const upper = (j: number) => cols.slice(j);
  const lines = [`let ${cols.map((j) => `t${j} = 0`).join(', ')};`];
  for (const j of cols)
    lines.push(
      `let ${upper(j)
        .map((k) => `a${j}_${k} = 0`)
        .join(', ')};`,
    );
  lines.push('for (let i = 0; i < n; i++) {', '  const c = counts[i];', '  if (c === 0) continue;');
  lines.push(`  const b = i * ${q};`);
  for (const j of cols) lines.push(`  const z${j} = z[b + ${j}];`);
  for (const j of cols) {
    lines.push(`  const w${j} = c * z${j};`, `  t${j} += w${j};`);
    for (const k of upper(j)) lines.push(`  a${j}_${k} += w${j} * z${k};`);
  }
  lines.push('}');
  for (const j of cols) lines.push(`s1[${j}] = t${j};`);
  for (const j of cols) for (const k of upper(j)) lines.push(`s2[${j * q + k}] = a${j}_${k};`);
  return lines.join('\n');
}
