/**
 * The small dense linear algebra key-driver analysis needs: symmetric eigendecomposition (cyclic Jacobi)
 * and Cholesky solves on p × p correlation matrices, p rarely above 30. Written here rather than taken
 * from a library so the core stays dependency-free and the bootstrap's inner step allocates little:
 * it runs a thousand times per analysis on matrices of a few dozen entries.
 * Matrices are row-major Float64Arrays: entry (i, j) of an m × m matrix is `a[i * m + j]`.
 */

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Eigenvectors as columns: component i of vector k is `vectors[i * m + k]`. */
  vectors: Float64Array;
}

/**
 * Eigendecomposition A = V Λ Vᵀ of a symmetric matrix by cyclic Jacobi rotations. Jacobi is slower than
 * QR for big matrices but is accurate to machine precision on small ones, which is what the relative
 * weights need (Λ^½ and Λ^-½ amplify errors in small eigenvalues).
 */
export function symmetricEigen(a: Float64Array, m: number): SymmetricEigen {
  const s = Float64Array.from(a);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < m; i++) {
      diag += s[i * m + i]! ** 2;
      for (let j = i + 1; j < m; j++) off += s[i * m + j]! ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < m - 1; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = s[p * m + q]!;
        if (apq === 0) continue;
        const app = s[p * m + p]!;
        const aqq = s[q * m + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        // Rotate rows/columns p and q of S (S ← Jᵀ S J) and accumulate V ← V J.
        for (let k = 0; k < m; k++) {
          const skp = s[k * m + p]!;
          const skq = s[k * m + q]!;
          s[k * m + p] = c * skp - sn * skq;
          s[k * m + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < m; k++) {
          const spk = s[p * m + k]!;
          const sqk = s[q * m + k]!;
          s[p * m + k] = c * spk - sn * sqk;
          s[q * m + k] = sn * spk + c * sqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p]!;
          const vkq = v[k * m + q]!;
          v[k * m + p] = c * vkp - sn * vkq;
          v[k * m + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => s[j * m + j]! - s[i * m + i]!);
  const values = new Float64Array(m);
  const vectors = new Float64Array(m * m);
  order.forEach((src, k) => {
    values[k] = s[src * m + src]!;
    for (let i = 0; i < m; i++) vectors[i * m + k] = v[i * m + src]!;
  });
  return { values, vectors };
}

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive-definite matrix, or null when a pivot is
 * not positive beyond `tol` (the matrix is singular or not positive definite).
 */
export function cholesky(a: Float64Array, m: number, tol = 1e-12): Float64Array | null {
  const l = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    let d = a[j * m + j]!;
    for (let k = 0; k < j; k++) d -= l[j * m + k]! ** 2;
    if (!(d > tol * Math.max(1, Math.abs(a[j * m + j]!)))) return null;
    const ljj = Math.sqrt(d);
    l[j * m + j] = ljj;
    for (let i = j + 1; i < m; i++) {
      let x = a[i * m + j]!;
      for (let k = 0; k < j; k++) x -= l[i * m + k]! * l[j * m + k]!;
      l[i * m + j] = x / ljj;
    }
  }
  return l;
}

/** Solves L Lᵀ x = b for x, given the Cholesky factor L. */
export function choleskySolve(l: Float64Array, m: number, b: Float64Array): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let x = b[i]!;
    for (let k = 0; k < i; k++) x -= l[i * m + k]! * y[k]!;
    y[i] = x / l[i * m + i]!;
  }
  const out = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let x = y[i]!;
    for (let k = i + 1; k < m; k++) x -= l[k * m + i]! * out[k]!;
    out[i] = x / l[i * m + i]!;
  }
  return out;
}

/** Inverse of a symmetric positive-definite matrix from its Cholesky factor. */
export function choleskyInverse(l: Float64Array, m: number): Float64Array {
  const inv = new Float64Array(m * m);
  const e = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(l, m, e);
    for (let i = 0; i < m; i++) inv[i * m + j] = col[i]!;
  }
  return inv;
}
