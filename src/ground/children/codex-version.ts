import {execFile} from 'node:child_process'
import {CodexdError} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'

/** The first codex release that takes app-server-startup.lock itself (upstream PR 23516). */
export const FIRST_LOCK_AWARE_CODEX = '0.133.0'

/** Parses `codex --version` output (`codex-cli 0.169.0`) into `0.169.0`, or undefined. */
export function parseCodexVersion(output: string): string | undefined {
  return /(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?/.exec(output)?.[0]
}

/** Compares two `x.y.z[-pre]` versions numerically; a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const [coreA, preA] = a.split('-', 2)
  const [coreB, preB] = b.split('-', 2)
  const partsA = coreA.split('.').map(Number)
  const partsB = coreB.split('.').map(Number)
  for (let i = 0; i < 3; i++) {
    const diff = (partsA[i] ?? 0) - (partsB[i] ?? 0)
    if (diff !== 0) return Math.sign(diff)
  }
  if (preA === preB) return 0
  if (preA === undefined) return 1
  if (preB === undefined) return -1
  return preA < preB ? -1 : 1
}

/** True for codex versions that take the startup lock themselves (>= 0.133.0, pre-releases of it excluded). */
export function isLockAwareCodex(version: string): boolean {
  return compareVersions(version, FIRST_LOCK_AWARE_CODEX) >= 0
}

/** Runs `<bin> --version` and parses it; a binary that cannot say its version is an error. */
export async function readCodexVersion(bin: string, timeoutMs = 15_000): Promise<string> {
  const output = await new Promise<string>((resolve, reject) => {
    execFile(bin, ['--version'], {timeout: timeoutMs, encoding: 'utf8'}, (error, stdout, stderr) => {
      if (error) reject(new CodexdError('codex-version', `cannot read the version of ${bin} (\`${bin} --version\` failed: ${String(stderr || error.message).trim().split('\n')[0]}): check the codex installation or choose --server builtin`, ExitCode.ChildFailed))
      else resolve(stdout)
    })
  })
  const version = parseCodexVersion(output)
  if (!version) throw new CodexdError('codex-version', `\`${bin} --version\` printed '${output.trim()}', which has no version number: check the codex installation or choose --server builtin`, ExitCode.ChildFailed)
  return version
}
