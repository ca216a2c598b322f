import {execFile} from 'node:child_process'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {codexUpdaters} from '../../ground/owner/codex-daemon-records.js'
import type {ProcessFacts} from '../../ground/owner/process-facts.js'
import {endProcess, type EndedBy} from './end-process.js'

/** How long codex's own `daemon stop` may take (measured 0.4-0.7 s on 0.171.0). */
export const CODEX_DAEMON_STOP_TIMEOUT_MS = 15_000

/**
 * Stops codex's managed daemon the way codex does: `<its own binary> app-server daemon stop`,
 * with the home's CODEX_HOME and the daemon's HOME, bounded by `timeoutMs`. A non-zero exit or a
 * timeout is an error naming the command and what it said.
 */
export async function runCodexDaemonStop(paths: HomePaths, daemon: ProcessFacts, timeoutMs = CODEX_DAEMON_STOP_TIMEOUT_MS): Promise<string> {
  const codex = daemon.exe ?? daemon.argv[0]
  const env: NodeJS.ProcessEnv = {...process.env, CODEX_HOME: paths.home, HOME: daemon.env.HOME ?? process.env.HOME ?? paths.home}
  delete env.RUST_BACKTRACE
  return new Promise((resolve, reject) => {
    execFile(codex, ['app-server', 'daemon', 'stop'], {env, timeout: timeoutMs, encoding: 'utf8'}, (error, stdout, stderr) => {
      if (!error) return resolve(stdout.trim())
      const said = (stderr || error.message).split('\n').find((line) => line.startsWith('Error')) ?? String(stderr || error.message).trim().split('\n')[0]
      const how = (error as {killed?: boolean}).killed ? `did not finish within ${timeoutMs} ms` : `failed (${said})`
      reject(new CodexdError('takeover-stop-failed', `${codex} app-server daemon stop (CODEX_HOME=${paths.home}) ${how}: codex's daemon (pid ${daemon.pid}) still serves; stop it yourself, then run codexd start`, ExitCode.AlreadyInUse))
    })
  })
}

/**
 * Ends the `app-server daemon pid-update-loop` processes codex leaves running for this home after
 * `daemon stop`: each identified by command line AND home (its environment), then by pid and
 * start ticks when signalled. Returns what it ended.
 */
export async function endCodexUpdaters(paths: HomePaths, graceMs: number): Promise<{pid: number; endedBy: EndedBy}[]> {
  const ended: {pid: number; endedBy: EndedBy}[] = []
  for (const updater of codexUpdaters(paths.home)) ended.push({pid: updater.pid, endedBy: await endProcess(updater.pid, updater.startTicks, graceMs)})
  return ended
}
