import {spawn, type ChildProcess, type SpawnOptions} from 'node:child_process'
import {once} from 'node:events'
import {groupAlive, signalGroup} from '../proc/processes.js'
import {CODEXD_ENTRY} from '../product.js'
import {pollUntil} from '../util/wait.js'

/**
 * Spawning and tracking processes for the tests, `codexd smoke` and the benchmarks: every
 * process runs in its own process group, and every group (and every daemon pid learned later) is
 * SIGKILLed by `killAllStarted()`, at the latest when this process exits. Never by name.
 */

/** The CLI entry point of this checkout (runs the built dist/). */
export const CODEXD_BIN = CODEXD_ENTRY

/** Every process group started or tracked here that may still have members. */
const started = new Set<number>()

/** Kills (SIGKILL) every process group started or tracked through this module that is still alive. */
export function killAllStarted(): void {
  for (const pid of started) if (!signalGroup(pid, 'SIGKILL')) signalPid(pid, 'SIGKILL')
  started.clear()
}
process.on('exit', killAllStarted)

/**
 * Spawns a command in its own process group (so the group can be killed as one, grandchildren
 * included) and tracks it for cleanup. Output is piped, stdin ignored, unless `options.stdio` says.
 */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true})
  const pid = child.pid
  if (pid !== undefined) {
    started.add(pid)
    // Descendants may keep the group alive after the leader exits: then it stays tracked. An
    // empty group is forgotten, so a later cleanup never signals a reused process group id.
    child.once('exit', () => void (groupAlive(pid) || started.delete(pid)))
  }
  return child
}

/** Signals a tracked child's whole process group (its descendants too). */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid !== undefined) signalGroup(pid, signal)
}

/** Tracks a pid (for example a daemon the CLI started, a group leader itself) so it is killed at cleanup. */
export function trackPid(pid: number): void {
  if (Number.isInteger(pid) && pid > 0) started.add(pid)
}

export interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Collects a child's output and waits for it to exit. */
export async function finished(child: ChildProcess): Promise<Finished> {
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const spawnFailed = once(child, 'error').then(([error]) => {
    stderr += `${(error as Error).message}\n`
    return [null, null] as const
  })
  const [code, signal] = (child.exitCode !== null || child.signalCode !== null)
    ? [child.exitCode, child.signalCode]
    : await Promise.race([once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>, spawnFailed])
  return {code, signal, stdout, stderr}
}

export interface RunOptions extends SpawnOptions {
  /** Written to the command's stdin, which is then closed (stdin is empty without it). */
  readonly input?: string
  /** The command's process group is SIGKILLed after this long (`timedOut` then says so). */
  readonly timeoutMs?: number
}

/** A command run to completion; `ms`: spawn to exit as this process saw it. */
export interface Run extends Finished {
  readonly timedOut: boolean
  readonly ms: number
}

/** Every run has a deadline: a command that hangs fails its caller instead of hanging it. */
const DEFAULT_RUN_TIMEOUT_MS = 5 * 60_000

/** Runs a command to completion in its own tracked process group, collecting its output. */
export async function runCommand(command: string, args: readonly string[], {input, timeoutMs = DEFAULT_RUN_TIMEOUT_MS, ...options}: RunOptions = {}): Promise<Run> {
  const start = process.hrtime.bigint()
  const child = spawnTracked(command, args, {stdio: ['pipe', 'pipe', 'pipe'], ...options})
  child.stdin?.on('error', () => {}) // EPIPE: the command exited without reading its input
  child.stdin?.end(input ?? '')
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    killGroup(child.pid)
  }, timeoutMs)
  try {
    const result = await finished(child)
    return {...result, timedOut, ms: Number(process.hrtime.bigint() - start) / 1e6}
  } finally {
    clearTimeout(timer)
  }
}

/** Spawns `codexd ARGS` with the given environment (CODEX_HOME must be in it). */
export function spawnCodexd(args: readonly string[], env: NodeJS.ProcessEnv, options: SpawnOptions = {}): ChildProcess {
  return spawnTracked(process.execPath, [CODEXD_BIN, ...args], {...options, env})
}

/** Runs `codexd ARGS` (this checkout: node + bin/run.cjs, never a PATH lookup) to completion. */
export function runCodexd(args: readonly string[], env: NodeJS.ProcessEnv, options: RunOptions = {}): Promise<Run> {
  return runCommand(process.execPath, [CODEXD_BIN, ...args], {...options, env})
}

/** True while a process with this pid exists (a zombie that holds no files counts as gone). */
export {isAlive} from '../proc/processes.js'

/** Polls `check` every `intervalMs` until it returns a truthy value (returned) or throws after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, {timeoutMs = 10_000, intervalMs = 25, what = 'condition'} = {}): Promise<NonNullable<T>> {
  let value: T | undefined
  const met = await pollUntil(async () => Boolean((value = await check())), timeoutMs, intervalMs)
  if (!met) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
  return value as NonNullable<T>
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // Already gone.
  }
}
