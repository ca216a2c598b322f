/** Small statistics and formatting helpers for the benchmarks. */

/** The value at quantile `q` (0..1) of `values`, nearest rank on a sorted copy. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

/** The median of `values`. */
export function median(values) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Milliseconds since `start` (a process.hrtime.bigint() reading). */
export function msSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e6
}

/** A number with `digits` decimals and a unit, or `-` when it is not a finite number. */
export function fmt(value, unit = '', digits = 1) {
  return Number.isFinite(value) ? `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}` : '-'
}

/** `a / b` as `N.NNx`, or `-`. */
export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN
}
