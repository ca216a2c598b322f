import {spawn, type ChildProcess, type SpawnOptions} from 'node:child_process'
import {once} from 'node:events'
import {CODEXD_ENTRY} from '../product.js'

/** The CLI entry point of this checkout (runs the built dist/). */
export const CODEXD_BIN = CODEXD_ENTRY

/** Every process group a test started, killed at exit even when the test failed. */
const started = new Set<number>()

/** Kills (SIGKILL) every process group started through this module that is still alive. */
export function killAllStarted(): void {
  for (const pid of started) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  started.clear()
}
process.on('exit', killAllStarted)

/**
 * Spawns a command in its own process group (so the group can be killed as one, grandchildren
 * included) and tracks it for cleanup.
 */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true})
  // The group stays tracked after the leader exits: its descendants may outlive it.
  if (child.pid !== undefined) started.add(child.pid)
  return child
}

/** Signals a tracked child's whole process group (its descendants too). */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

/** Tracks a pid (for example a daemon the CLI started) so it is killed at cleanup. */
export function trackPid(pid: number): void {
  started.add(pid)
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
  const [code, signal] = (child.exitCode !== null || child.signalCode !== null)
    ? [child.exitCode, child.signalCode]
    : ((await once(child, 'close')) as [number | null, NodeJS.Signals | null])
  return {code, signal, stdout, stderr}
}

/** Spawns `codexd ARGS` with the given environment (CODEX_HOME must be in it). */
export function spawnCodexd(args: readonly string[], env: NodeJS.ProcessEnv, options: SpawnOptions = {}): ChildProcess {
  return spawnTracked(process.execPath, [CODEXD_BIN, ...args], {...options, env})
}

/** Runs `codexd ARGS` to completion. */
export function runCodexd(args: readonly string[], env: NodeJS.ProcessEnv, options: SpawnOptions = {}): Promise<Finished> {
  return finished(spawnCodexd(args, env, options))
}

/** True while a process with this pid exists (and is not a zombie we can see). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Polls `check` every `intervalMs` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(check: () => T | Promise<T>, {timeoutMs = 10_000, intervalMs = 25, what = 'condition'} = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
