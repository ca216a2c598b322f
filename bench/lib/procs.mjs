/**
 * Processes for the benchmarks: every process is spawned in its own process group and every
 * group (and every daemon pid learned later) is SIGKILLed when the bench exits, also on failure
 * or Ctrl-C. Never by name.
 */
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {msSince} from './stats.mjs'

/** codexd's entry point in this checkout (runs dist/). */
export const CODEXD_BIN = fileURLToPath(new URL('../../bin/run.cjs', import.meta.url))

const groups = new Set()
const pids = new Set()

/** SIGKILLs every tracked process group and pid that is still alive. */
export function killEverything() {
  for (const pid of groups) signal(-pid, 'SIGKILL')
  for (const pid of pids) signal(pid, 'SIGKILL')
  groups.clear()
  pids.clear()
}
process.on('exit', killEverything)
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(name, () => {
    killEverything()
    process.exit(130)
  })
}

/** Sends `sig` to `pid` (negative: a group); false when it does not exist. */
export function signal(pid, sig) {
  try {
    process.kill(pid, sig)
    return true
  } catch {
    return false
  }
}

/** Tracks a daemon pid (a supervisor, an app-server child) and its group for the final cleanup. */
export function trackDaemon(pid) {
  if (Number.isInteger(pid) && pid > 0) {
    pids.add(pid)
    groups.add(pid)
  }
}

/** Spawns in a new process group, tracked; stdio defaults to ignore. */
export function spawnTracked(command, args, options = {}) {
  const child = spawn(command, args, {stdio: 'ignore', ...options, detached: true})
  if (child.pid !== undefined) groups.add(child.pid)
  child.once('exit', () => {
    // The leader is gone; descendants that keep the group alive are still killed at exit.
  })
  return child
}

/** Spawns `codexd ARGS`. */
export function spawnCodexd(args, env, options = {}) {
  return spawnTracked(process.execPath, [CODEXD_BIN, ...args], {env, ...options})
}

/**
 * Runs a command to completion: {code, signal, stdout, stderr, ms} where ms is the wall time from
 * spawn to exit as the parent sees it.
 */
export async function run(command, args, {env, input, ...options} = {}) {
  const start = process.hrtime.bigint()
  const child = spawnTracked(command, args, {env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], ...options})
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
  if (input !== undefined) child.stdin.end(input)
  const [code, sig] = await once(child, 'exit')
  const ms = msSince(start)
  if (child.stdout && !child.stdout.readableEnded) await once(child.stdout, 'close').catch(() => {})
  return {code, signal: sig, stdout, stderr, ms}
}

/** Runs `codexd ARGS` to completion (see run). */
export function runCodexd(args, env, options = {}) {
  return run(process.execPath, [CODEXD_BIN, ...args], {env, ...options})
}

/** Polls `check` every `intervalMs` until it returns a truthy value; throws after `timeoutMs`. */
export async function waitFor(check, {timeoutMs = 20_000, intervalMs = 20, what = 'a condition'} = {}) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** True while `pid` exists and is not a zombie. */
export function isAlive(pid) {
  if (!signal(pid, 0)) return false
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return false
  }
}
