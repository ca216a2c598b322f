import {fileURLToPath} from 'node:url'
import type {StatusReport} from '../../src/ground/protocol/status-report.js'
import {tempHome, type TempHome} from '../../src/ground/harness/home.js'
import {processesForHome as homeProcesses} from '../../src/ground/proc/home-processes.js'
import {isAlive as isRunning} from '../../src/ground/proc/processes.js'
import {runCodexd, trackPid, waitFor} from '../../src/ground/harness/processes.js'

/** `node <fixture>` for a fixture child in test/fixtures/children, as a --server command. */
export function fixtureCommand(name: string): string {
  return `${process.execPath} ${fileURLToPath(new URL(`../fixtures/children/${name}.mjs`, import.meta.url))}`
}

/** Fast supervisor settings for tests (each can be overridden). */
export const FAST: NodeJS.ProcessEnv = {
  CODEXD_BACKOFF_MIN_MS: '50',
  CODEXD_BACKOFF_MAX_MS: '400',
  CODEXD_PROBE_INTERVAL_MS: '200',
  CODEXD_STOP_GRACE_MS: '2000',
  CODEXD_READY_TIMEOUT_MS: '30000',
}

/** A temp CODEX_HOME whose env selects `server` and fast settings; `cleanup()` stops everything it ran. */
export interface SupervisedHome extends TempHome {
  cleanup(): Promise<void>
}

export function supervisedHome(server: string, extra: NodeJS.ProcessEnv = {}): SupervisedHome {
  const home = tempHome('codexd-sup-')
  Object.assign(home.env, FAST, {CODEXD_SERVER: server}, extra)
  return {
    ...home,
    async cleanup() {
      await runCodexd(['stop', '--grace', '500'], home.env).catch(() => {})
      for (const process of homeProcesses(home.home)) {
        try {
          globalThis.process.kill(process.pid, 'SIGKILL')
        } catch {
          // Gone meanwhile.
        }
      }
      home.remove()
    },
  }
}

/** `codexd status --json` and its exit code. */
export async function status(env: NodeJS.ProcessEnv): Promise<{code: number | null; report: StatusReport}> {
  const result = await runCodexd(['status', '--json'], env)
  return {code: result.code, report: JSON.parse(result.stdout) as StatusReport}
}

/** Waits until status reports `predicate`, returning that report. */
export async function waitForStatus(env: NodeJS.ProcessEnv, predicate: (report: StatusReport) => boolean, what: string, timeoutMs = 30_000): Promise<StatusReport> {
  let last: StatusReport | undefined
  try {
    return await waitFor(async () => {
      last = (await status(env)).report
      return predicate(last) ? last : undefined
    }, {timeoutMs, intervalMs: 100, what})
  } catch (error) {
    throw new Error(`${(error as Error).message}; last status: ${JSON.stringify(last)}`)
  }
}

/** Every live process whose environment has CODEX_HOME=`home` (the supervisor, its children, grandchildren). */
export {homeProcesses}

/** Starts codexd on `home` and tracks its supervisor for cleanup; returns the status once running. */
export async function startAndTrack(home: SupervisedHome, args: string[] = []): Promise<StatusReport> {
  const started = await runCodexd(['start', ...args], home.env)
  if (started.code !== 0) throw new Error(`codexd start exited ${started.code}: ${started.stderr}`)
  const {report} = await status(home.env)
  if (report.supervisor) trackPid(report.supervisor.pid)
  return report
}

/** True while `pid` runs (a zombie, exited but not yet reaped by init, counts as gone). */
export {isAlive as isRunning} from '../../src/ground/proc/processes.js'

/** Waits until none of `pids` is alive. */
export function waitGone(pids: number[], what: string, timeoutMs = 15_000): Promise<boolean> {
  return waitFor(() => pids.every((pid) => !isRunning(pid)), {timeoutMs, what})
}
