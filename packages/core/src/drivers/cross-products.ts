/**
 * The bootstrap's inner loop: weighted sums Σ c_i z_ij and cross-products Σ c_i z_ij z_ik (upper
 * triangle) over the rows of a row-major matrix with `stride` columns, c_i the row's resample count.
 * It runs B × n times (10⁸ rows for 1,000 resamples of 100,000 responses), so the common widths have
 * unrolled kernels whose accumulators are local variables the JIT keeps in registers; indexing a typed
 * array for every update is about three times slower. The unrolled kernels below are generated
 * (one line per accumulator); do not edit them by hand.
 */
export const UNROLLED_STRIDES = [8, 12] as const;

/** The row stride to store data of `q` columns in: the smallest unrolled width that fits, else q. */
export function strideFor(q: number): number {
  return UNROLLED_STRIDES.find((s) => s >= q) ?? q;
}

export function crossProducts(
  z: Float64Array,
  stride: number,
  counts: Int32Array,
  n: number,
  s1: Float64Array,
  s2: Float64Array,
): void {
  if (stride === 8) {
    crossProducts8(z, counts, n, s1, s2);
    return;
  }
  if (stride === 12) {
    crossProducts12(z, counts, n, s1, s2);
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

/** Stride-8 kernel (generated: one local accumulator per entry of the upper triangle). */
function crossProducts8(
  z: Float64Array,
  counts: Int32Array,
  n: number,
  s1: Float64Array,
  s2: Float64Array,
): void {
  let t0 = 0,
    t1 = 0,
    t2 = 0,
    t3 = 0,
    t4 = 0,
    t5 = 0,
    t6 = 0,
    t7 = 0;
  let a0_0 = 0,
    a0_1 = 0,
    a0_2 = 0,
    a0_3 = 0,
    a0_4 = 0,
    a0_5 = 0,
    a0_6 = 0,
    a0_7 = 0;
  let a1_1 = 0,
    a1_2 = 0,
    a1_3 = 0,
    a1_4 = 0,
    a1_5 = 0,
    a1_6 = 0,
    a1_7 = 0;
  let a2_2 = 0,
    a2_3 = 0,
    a2_4 = 0,
    a2_5 = 0,
    a2_6 = 0,
    a2_7 = 0;
  let a3_3 = 0,
    a3_4 = 0,
    a3_5 = 0,
    a3_6 = 0,
    a3_7 = 0;
  let a4_4 = 0,
    a4_5 = 0,
    a4_6 = 0,
    a4_7 = 0;
  let a5_5 = 0,
    a5_6 = 0,
    a5_7 = 0;
  let a6_6 = 0,
    a6_7 = 0;
  let a7_7 = 0;
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    const b = i * 8;
    const z0 = z[b + 0]!;
    const z1 = z[b + 1]!;
    const z2 = z[b + 2]!;
    const z3 = z[b + 3]!;
    const z4 = z[b + 4]!;
    const z5 = z[b + 5]!;
    const z6 = z[b + 6]!;
    const z7 = z[b + 7]!;
    const w0 = c * z0;
    t0 += w0;
    a0_0 += w0 * z0;
    a0_1 += w0 * z1;
    a0_2 += w0 * z2;
    a0_3 += w0 * z3;
    a0_4 += w0 * z4;
    a0_5 += w0 * z5;
    a0_6 += w0 * z6;
    a0_7 += w0 * z7;
    const w1 = c * z1;
    t1 += w1;
    a1_1 += w1 * z1;
    a1_2 += w1 * z2;
    a1_3 += w1 * z3;
    a1_4 += w1 * z4;
    a1_5 += w1 * z5;
    a1_6 += w1 * z6;
    a1_7 += w1 * z7;
    const w2 = c * z2;
    t2 += w2;
    a2_2 += w2 * z2;
    a2_3 += w2 * z3;
    a2_4 += w2 * z4;
    a2_5 += w2 * z5;
    a2_6 += w2 * z6;
    a2_7 += w2 * z7;
    const w3 = c * z3;
    t3 += w3;
    a3_3 += w3 * z3;
    a3_4 += w3 * z4;
    a3_5 += w3 * z5;
    a3_6 += w3 * z6;
    a3_7 += w3 * z7;
    const w4 = c * z4;
    t4 += w4;
    a4_4 += w4 * z4;
    a4_5 += w4 * z5;
    a4_6 += w4 * z6;
    a4_7 += w4 * z7;
    const w5 = c * z5;
    t5 += w5;
    a5_5 += w5 * z5;
    a5_6 += w5 * z6;
    a5_7 += w5 * z7;
    const w6 = c * z6;
    t6 += w6;
    a6_6 += w6 * z6;
    a6_7 += w6 * z7;
    const w7 = c * z7;
    t7 += w7;
    a7_7 += w7 * z7;
  }
  s1[0] = t0;
  s1[1] = t1;
  s1[2] = t2;
  s1[3] = t3;
  s1[4] = t4;
  s1[5] = t5;
  s1[6] = t6;
  s1[7] = t7;
  s2[0] = a0_0;
  s2[1] = a0_1;
  s2[2] = a0_2;
  s2[3] = a0_3;
  s2[4] = a0_4;
  s2[5] = a0_5;
  s2[6] = a0_6;
  s2[7] = a0_7;
  s2[9] = a1_1;
  s2[10] = a1_2;
  s2[11] = a1_3;
  s2[12] = a1_4;
  s2[13] = a1_5;
  s2[14] = a1_6;
  s2[15] = a1_7;
  s2[18] = a2_2;
  s2[19] = a2_3;
  s2[20] = a2_4;
  s2[21] = a2_5;
  s2[22] = a2_6;
  s2[23] = a2_7;
  s2[27] = a3_3;
  s2[28] = a3_4;
  s2[29] = a3_5;
  s2[30] = a3_6;
  s2[31] = a3_7;
  s2[36] = a4_4;
  s2[37] = a4_5;
  s2[38] = a4_6;
  s2[39] = a4_7;
  s2[45] = a5_5;
  s2[46] = a5_6;
  s2[47] = a5_7;
  s2[54] = a6_6;
  s2[55] = a6_7;
  s2[63] = a7_7;
}

/** Stride-12 kernel (generated: one local accumulator per entry of the upper triangle). */
function crossProducts12(
  z: Float64Array,
  counts: Int32Array,
  n: number,
  s1: Float64Array,
  s2: Float64Array,
): void {
  let t0 = 0,
    t1 = 0,
    t2 = 0,
    t3 = 0,
    t4 = 0,
    t5 = 0,
    t6 = 0,
    t7 = 0,
    t8 = 0,
    t9 = 0,
    t10 = 0,
    t11 = 0;
  let a0_0 = 0,
    a0_1 = 0,
    a0_2 = 0,
    a0_3 = 0,
    a0_4 = 0,
    a0_5 = 0,
    a0_6 = 0,
    a0_7 = 0,
    a0_8 = 0,
    a0_9 = 0,
    a0_10 = 0,
    a0_11 = 0;
  let a1_1 = 0,
    a1_2 = 0,
    a1_3 = 0,
    a1_4 = 0,
    a1_5 = 0,
    a1_6 = 0,
    a1_7 = 0,
    a1_8 = 0,
    a1_9 = 0,
    a1_10 = 0,
    a1_11 = 0;
  let a2_2 = 0,
    a2_3 = 0,
    a2_4 = 0,
    a2_5 = 0,
    a2_6 = 0,
    a2_7 = 0,
    a2_8 = 0,
    a2_9 = 0,
    a2_10 = 0,
    a2_11 = 0;
  let a3_3 = 0,
    a3_4 = 0,
    a3_5 = 0,
    a3_6 = 0,
    a3_7 = 0,
    a3_8 = 0,
    a3_9 = 0,
    a3_10 = 0,
    a3_11 = 0;
  let a4_4 = 0,
    a4_5 = 0,
    a4_6 = 0,
    a4_7 = 0,
    a4_8 = 0,
    a4_9 = 0,
    a4_10 = 0,
    a4_11 = 0;
  let a5_5 = 0,
    a5_6 = 0,
    a5_7 = 0,
    a5_8 = 0,
    a5_9 = 0,
    a5_10 = 0,
    a5_11 = 0;
  let a6_6 = 0,
    a6_7 = 0,
    a6_8 = 0,
    a6_9 = 0,
    a6_10 = 0,
    a6_11 = 0;
  let a7_7 = 0,
    a7_8 = 0,
    a7_9 = 0,
    a7_10 = 0,
    a7_11 = 0;
  let a8_8 = 0,
    a8_9 = 0,
    a8_10 = 0,
    a8_11 = 0;
  let a9_9 = 0,
    a9_10 = 0,
    a9_11 = 0;
  let a10_10 = 0,
    a10_11 = 0;
  let a11_11 = 0;
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    const b = i * 12;
    const z0 = z[b + 0]!;
    const z1 = z[b + 1]!;
    const z2 = z[b + 2]!;
    const z3 = z[b + 3]!;
    const z4 = z[b + 4]!;
    const z5 = z[b + 5]!;
    const z6 = z[b + 6]!;
    const z7 = z[b + 7]!;
    const z8 = z[b + 8]!;
    const z9 = z[b + 9]!;
    const z10 = z[b + 10]!;
    const z11 = z[b + 11]!;
    const w0 = c * z0;
    t0 += w0;
    a0_0 += w0 * z0;
    a0_1 += w0 * z1;
    a0_2 += w0 * z2;
    a0_3 += w0 * z3;
    a0_4 += w0 * z4;
    a0_5 += w0 * z5;
    a0_6 += w0 * z6;
    a0_7 += w0 * z7;
    a0_8 += w0 * z8;
    a0_9 += w0 * z9;
    a0_10 += w0 * z10;
    a0_11 += w0 * z11;
    const w1 = c * z1;
    t1 += w1;
    a1_1 += w1 * z1;
    a1_2 += w1 * z2;
    a1_3 += w1 * z3;
    a1_4 += w1 * z4;
    a1_5 += w1 * z5;
    a1_6 += w1 * z6;
    a1_7 += w1 * z7;
    a1_8 += w1 * z8;
    a1_9 += w1 * z9;
    a1_10 += w1 * z10;
    a1_11 += w1 * z11;
    const w2 = c * z2;
    t2 += w2;
    a2_2 += w2 * z2;
    a2_3 += w2 * z3;
    a2_4 += w2 * z4;
    a2_5 += w2 * z5;
    a2_6 += w2 * z6;
    a2_7 += w2 * z7;
    a2_8 += w2 * z8;
    a2_9 += w2 * z9;
    a2_10 += w2 * z10;
    a2_11 += w2 * z11;
    const w3 = c * z3;
    t3 += w3;
    a3_3 += w3 * z3;
    a3_4 += w3 * z4;
    a3_5 += w3 * z5;
    a3_6 += w3 * z6;
    a3_7 += w3 * z7;
    a3_8 += w3 * z8;
    a3_9 += w3 * z9;
    a3_10 += w3 * z10;
    a3_11 += w3 * z11;
    const w4 = c * z4;
    t4 += w4;
    a4_4 += w4 * z4;
    a4_5 += w4 * z5;
    a4_6 += w4 * z6;
    a4_7 += w4 * z7;
    a4_8 += w4 * z8;
    a4_9 += w4 * z9;
    a4_10 += w4 * z10;
    a4_11 += w4 * z11;
    const w5 = c * z5;
    t5 += w5;
    a5_5 += w5 * z5;
    a5_6 += w5 * z6;
    a5_7 += w5 * z7;
    a5_8 += w5 * z8;
    a5_9 += w5 * z9;
    a5_10 += w5 * z10;
    a5_11 += w5 * z11;
    const w6 = c * z6;
    t6 += w6;
    a6_6 += w6 * z6;
    a6_7 += w6 * z7;
    a6_8 += w6 * z8;
    a6_9 += w6 * z9;
    a6_10 += w6 * z10;
    a6_11 += w6 * z11;
    const w7 = c * z7;
    t7 += w7;
    a7_7 += w7 * z7;
    a7_8 += w7 * z8;
    a7_9 += w7 * z9;
    a7_10 += w7 * z10;
    a7_11 += w7 * z11;
    const w8 = c * z8;
    t8 += w8;
    a8_8 += w8 * z8;
    a8_9 += w8 * z9;
    a8_10 += w8 * z10;
    a8_11 += w8 * z11;
    const w9 = c * z9;
    t9 += w9;
    a9_9 += w9 * z9;
    a9_10 += w9 * z10;
    a9_11 += w9 * z11;
    const w10 = c * z10;
    t10 += w10;
    a10_10 += w10 * z10;
    a10_11 += w10 * z11;
    const w11 = c * z11;
    t11 += w11;
    a11_11 += w11 * z11;
  }
  s1[0] = t0;
  s1[1] = t1;
  s1[2] = t2;
  s1[3] = t3;
  s1[4] = t4;
  s1[5] = t5;
  s1[6] = t6;
  s1[7] = t7;
  s1[8] = t8;
  s1[9] = t9;
  s1[10] = t10;
  s1[11] = t11;
  s2[0] = a0_0;
  s2[1] = a0_1;
  s2[2] = a0_2;
  s2[3] = a0_3;
  s2[4] = a0_4;
  s2[5] = a0_5;
  s2[6] = a0_6;
  s2[7] = a0_7;
  s2[8] = a0_8;
  s2[9] = a0_9;
  s2[10] = a0_10;
  s2[11] = a0_11;
  s2[13] = a1_1;
  s2[14] = a1_2;
  s2[15] = a1_3;
  s2[16] = a1_4;
  s2[17] = a1_5;
  s2[18] = a1_6;
  s2[19] = a1_7;
  s2[20] = a1_8;
  s2[21] = a1_9;
  s2[22] = a1_10;
  s2[23] = a1_11;
  s2[26] = a2_2;
  s2[27] = a2_3;
  s2[28] = a2_4;
  s2[29] = a2_5;
  s2[30] = a2_6;
  s2[31] = a2_7;
  s2[32] = a2_8;
  s2[33] = a2_9;
  s2[34] = a2_10;
  s2[35] = a2_11;
  s2[39] = a3_3;
  s2[40] = a3_4;
  s2[41] = a3_5;
  s2[42] = a3_6;
  s2[43] = a3_7;
  s2[44] = a3_8;
  s2[45] = a3_9;
  s2[46] = a3_10;
  s2[47] = a3_11;
  s2[52] = a4_4;
  s2[53] = a4_5;
  s2[54] = a4_6;
  s2[55] = a4_7;
  s2[56] = a4_8;
  s2[57] = a4_9;
  s2[58] = a4_10;
  s2[59] = a4_11;
  s2[65] = a5_5;
  s2[66] = a5_6;
  s2[67] = a5_7;
  s2[68] = a5_8;
  s2[69] = a5_9;
  s2[70] = a5_10;
  s2[71] = a5_11;
  s2[78] = a6_6;
  s2[79] = a6_7;
  s2[80] = a6_8;
  s2[81] = a6_9;
  s2[82] = a6_10;
  s2[83] = a6_11;
  s2[91] = a7_7;
  s2[92] = a7_8;
  s2[93] = a7_9;
  s2[94] = a7_10;
  s2[95] = a7_11;
  s2[104] = a8_8;
  s2[105] = a8_9;
  s2[106] = a8_10;
  s2[107] = a8_11;
  s2[117] = a9_9;
  s2[118] = a9_10;
  s2[119] = a9_11;
  s2[130] = a10_10;
  s2[131] = a10_11;
  s2[143] = a11_11;
}
