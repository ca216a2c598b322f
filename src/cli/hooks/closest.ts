/**
 * The candidate closest to `typed` by edit distance (a transposition counts as one edit, so
 * "stauts" is one edit from "status"), or undefined when none is within a third of the length of
 * the shortest word typed (at least one edit): "bogus" suggests nothing rather than "logs", and
 * "service bogus" nothing rather than "service status".
 */
export function closestCommand(typed: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(Math.min(...typed.split(' ').map((word) => word.length)) / 3))
  const ranked = candidates.map((candidate) => ({candidate, distance: editDistance(typed, candidate)})).sort((a, b) => a.distance - b.distance)
  return ranked[0] && ranked[0].distance <= limit ? ranked[0].candidate : undefined
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}
