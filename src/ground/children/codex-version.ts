import {spawn} from 'node:child_process'
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

/** How much of `--version`'s output is kept: a version line is short. */
const MAX_OUTPUT = 4096

/** Kills the process group led by `pid` (a `--version` run and anything it started). */
function killGroup(pid: number | undefined): void {
  try {
    if (pid !== undefined) process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** The first line of `text`, cut to `max` characters: what a one-line error may quote of a program's output. */
function firstLine(text: string, max = 120): string {
  const line = text.trim().split('\n')[0] ?? ''
  return line.length > max ? `${line.slice(0, max)}...` : line
}

/**
 * Runs `<bin> --version` and parses it; a binary that cannot say its version is an error. It
 * runs in its own process group, killed whole at the timeout, at `signal`'s abort, and at this
 * process's exit (process.exit runs no timer): a hung `--version` whose children hold its stdout
 * open (a shell script's `sleep`) must neither keep the caller waiting nor outlive it.
 */
export async function readCodexVersion(bin: string, timeoutMs = 15_000, signal?: AbortSignal): Promise<string> {
  const output = await new Promise<string>((resolve, reject) => {
    const failed = (why: string) => new CodexdError('codex-version', `cannot read the version of ${bin} (\`${bin} --version\` ${why}): check the codex installation or choose --server builtin`, ExitCode.ChildFailed)
    if (signal?.aborted) return reject(failed('was not run: cancelled'))
    const child = spawn(bin, ['--version'], {stdio: ['ignore', 'pipe', 'pipe'], detached: true})
    let stdout = ''
    let stderr = ''
    // Bounded: a binary that prints without end is not codex either.
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString('utf8')).slice(0, MAX_OUTPUT)))
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(0, MAX_OUTPUT)))
    const kill = () => killGroup(child.pid)
    const cancelled = () => {
      kill()
      reject(failed('was cancelled'))
    }
    // Detached, the group is not ours to lose: a caller ending by process.exit takes it along.
    process.once('exit', kill)
    signal?.addEventListener('abort', cancelled, {once: true})
    const timer = setTimeout(() => {
      kill()
      reject(failed(`did not answer within ${timeoutMs} ms`))
    }, timeoutMs)
    const done = () => {
      clearTimeout(timer)
      process.off('exit', kill)
      signal?.removeEventListener('abort', cancelled)
    }
    child.on('error', (error) => {
      done()
      reject(failed(`failed: ${firstLine(error.message)}`))
    })
    // At its exit, what it left running in its group goes too: such a child could hold the pipes
    // open (and 'close' back) for as long as it lives.
    child.on('exit', kill)
    child.on('close', (code, exitSignal) => {
      done()
      if (code === 0) resolve(stdout)
      else reject(failed(`failed: ${firstLine(stderr) || (exitSignal ? `killed by ${exitSignal}` : `exit code ${code}`)}`))
    })
  })
  const version = parseCodexVersion(output)
  if (!version) throw new CodexdError('codex-version', `\`${bin} --version\` printed '${firstLine(output)}', which has no version number: check the codex installation or choose --server builtin`, ExitCode.ChildFailed)
  return version
}
