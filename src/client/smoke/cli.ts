import {spawn, type ChildProcess, type SpawnOptions} from 'node:child_process'
import {CODEXD_ENTRY} from '../../shared/product.js'

/** A finished command. `timedOut`: it was killed after its timeout. */
export interface CliRun {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly timedOut: boolean
}

export interface CliOptions {
  readonly timeoutMs?: number
  readonly stdin?: string
}

/** Every process group the harness started and may still have to kill (Ctrl-C, timeouts). */
export const startedGroups = new Set<number>()

/** Spawns a command in its own process group, tracked for cleanup. */
export function spawnGroup(file: string, args: readonly string[], env: NodeJS.ProcessEnv, options: SpawnOptions = {}): ChildProcess {
  const child = spawn(file, args, {stdio: ['pipe', 'pipe', 'pipe'], ...options, env, detached: true})
  if (child.pid !== undefined) {
    const pid = child.pid
    startedGroups.add(pid)
    child.once('exit', () => startedGroups.delete(pid))
  }
  return child
}

/** Kills (SIGKILL) every process group the harness started that is still tracked. */
export function killStartedGroups(): void {
  for (const pid of startedGroups) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  startedGroups.clear()
}

/** Runs a command to completion, collecting output; SIGKILLs its group after `timeoutMs`. */
export function runCommand(file: string, args: readonly string[], env: NodeJS.ProcessEnv, {timeoutMs = 60_000, stdin}: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawnGroup(file, args, env)
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.stdin!.on('error', () => {})
    child.stdin!.end(stdin ?? '')
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }, timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      resolve({code: null, signal: null, stdout, stderr: `${stderr}${error.message}\n`, timedOut})
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      resolve({code, signal, stdout, stderr, timedOut})
    })
  })
}

/** Runs `codexd ARGS` (this installation: node + bin/run.cjs, never a PATH lookup). */
export function runCodexdCli(args: readonly string[], env: NodeJS.ProcessEnv, options?: CliOptions): Promise<CliRun> {
  return runCommand(process.execPath, [CODEXD_ENTRY, ...args], env, options)
}

/** The last `lines` lines of some output, for failure details. */
export function tail(text: string, lines = 12): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}
