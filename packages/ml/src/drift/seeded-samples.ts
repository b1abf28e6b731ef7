/*
 * Deterministic samples for the drift tests, built only from exactly rounded operations (integer
 * products below 2⁵³, one division, additions in a fixed order) so Python reproduces them bit for
 * bit. The reference values in the tests are computed from the same numbers with this port:
 *
 *   def uniforms(seed, n):            # Park–Miller "minimal standard" generator
 *       x, out = seed, []
 *       for _ in range(n):
 *           x = x * 48271 % 2147483647
 *           out.append(x / 2147483647)
 *       return out
 *   def normals(seed, n, mean=0.0, sd=1.0):   # Irwin–Hall: 12 uniforms − 6 ≈ N(0, 1)
 *       u = uniforms(seed, 12 * n)
 *       out = []
 *       for i in range(n):
 *           s = 0.0
 *           for k in range(12): s += u[12 * i + k]
 *           out.append(mean + sd * (s - 6.0))
 *       return out
 */

const MODULUS = 2147483647;
const MULTIPLIER = 48271;

export function seededUniforms(seed: number, n: number): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * MULTIPLIER) % MODULUS;
    out.push(x / MODULUS);
  }
  return out;
}

/** Approximately N(mean, sd²): the sum of 12 uniforms minus 6 (bounded at ±6σ). */
export function seededNormals(seed: number, n: number, mean = 0, sd = 1): number[] {
  const u = seededUniforms(seed, 12 * n);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < 12; k++) s += u[12 * i + k] ?? 0;
    out.push(mean + sd * (s - 6));
  }
  return out;
}
