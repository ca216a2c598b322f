import {spawn} from 'node:child_process'
import type {ChildSpec} from '../../ground/children/child-spec.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import type {RotatingLog} from './logger.js'
import {ChildOutputLines} from './child-output.js'
import {groupAlive, signalGroup, startTicks} from '../../ground/proc/processes.js'
import {pollUntil as until} from '../../ground/util/wait.js'
import {terminateGroup, type TerminateStep} from '../../ground/proc/terminate-group.js'
import {CHILD_SOCKET_ENV} from '../../ground/proc/supervised-descendant.js'

/** How a child ended. */
export interface ChildExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** The child said "already in use": another listener owned the socket (a duplicate launch). */
  readonly alreadyInUse: boolean
  /** Set when the child could not be spawned at all (ENOENT, EACCES). */
  readonly spawnError?: string
  /** The last lines it wrote, for the exit reason. */
  readonly outputTail: string
}

/** Which step ended a child: it was gone already, it exited on SIGTERM, or it needed SIGKILL. */

/** A spawned child in its own process group (pgid = pid), output copied to the supervisor log. */
export interface ManagedChild {
  readonly pid: number | undefined
  readonly startTicks: string | null
  readonly exited: Promise<ChildExit>
  hasExited(): boolean
  /** SIGTERM to the whole group, then SIGKILL after `graceMs`; resolves once the group is gone. */
  terminate(graceMs: number): Promise<TerminateStep>
  /**
   * SIGKILL to the whole group at once: for a child whose socket path another process now owns,
   * whose graceful cleanup would unlink that process's socket file (Node/libuv unlink a pipe's
   * path on close, whoever owns it by then).
   */
  kill(): Promise<TerminateStep>
}

const ALREADY_IN_USE = /already in use/i
const TAIL_BYTES = 4096

/** Spawns `spec` for `paths.home` in a new session/process group. */
export function spawnChild(spec: ChildSpec, paths: HomePaths, log: RotatingLog): ManagedChild {
  const env: NodeJS.ProcessEnv = {...process.env, CODEX_HOME: paths.home, [CHILD_SOCKET_ENV]: paths.appServerSocket}
  // codex prints Rust backtraces into its log when this is inherited from a developer's shell.
  delete env.RUST_BACKTRACE
  const child = spawn(spec.file, [...spec.args], {detached: true, stdio: ['ignore', 'pipe', 'pipe'], env})
  const pid = child.pid
  let tail = ''
  let sawInUse = false
  let spawnError: string | undefined
  for (const stream of [child.stdout, child.stderr]) {
    // Partial lines are held up to a cap: a child writing without newlines cannot grow our memory.
    const lines = new ChildOutputLines((complete) => log.write(complete.map((line) => `${new Date().toISOString()} [child ${pid}] ${line}\n`).join('')))
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      // Only the end of a chunk can matter for the tail: never concatenate more than that.
      tail = (tail + chunk.slice(-TAIL_BYTES)).slice(-TAIL_BYTES)
      if (ALREADY_IN_USE.test(tail)) sawInUse = true
      lines.push(chunk)
    })
    stream?.once('end', () => lines.flush())
  }
  let done = false
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      spawnError = `${error.code ?? 'error'}: ${error.message}`
      if (pid === undefined) {
        done = true
        resolve({code: null, signal: null, alreadyInUse: false, spawnError, outputTail: ''})
      }
    })
    child.once('exit', (code, signal) => {
      // Wait briefly for the last output ('close'), but not for grandchildren that keep the pipes open.
      const finish = () => {
        if (done) return
        done = true
        clearTimeout(timer)
        resolve({code, signal, alreadyInUse: sawInUse, spawnError, outputTail: tail})
      }
      const timer = setTimeout(finish, 250)
      child.once('close', finish)
    })
  })
  const ticks = pid === undefined ? null : startTicks(pid)

  return {
    pid,
    startTicks: ticks,
    exited,
    hasExited: () => done,
    async terminate(graceMs) {
      if (pid === undefined) return 'already-exited'
      return terminateGroup(pid, graceMs, () => done)
    },
    async kill() {
      if (pid === undefined || (done && !groupAlive(pid))) return 'already-exited'
      signalGroup(pid, 'SIGKILL')
      await until(() => done && !groupAlive(pid), 10_000)
      return 'sigkill'
    },
  }
}
