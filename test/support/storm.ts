import type {ChildProcess} from 'node:child_process'
import {connectPathFor} from '../../src/ground/home/socket-path.js'
import {StateDatabase} from '../../src/ground/state/database.js'
import {builtinMigrations} from '../../src/daemon/app-server/schema.js'
import type {TempHome} from '../../src/ground/harness/home.js'
import {finished, isAlive, spawnCodexd, waitFor, type Finished} from '../../src/ground/harness/processes.js'
import {listenerCount} from './unix-listeners.js'

export interface StormResult {
  /** Listening sockets the kernel has at the socket path (orphans included). */
  readonly listeners: number
  /** Storm processes still running after every other one exited. */
  readonly survivors: ChildProcess[]
  /** Processes that exited with 6 and codex's duplicate-launch message. */
  readonly duplicateErrors: number
  /** Exits that were neither a clean duplicate error nor a survivor: their stderr. */
  readonly otherFailures: string[]
  /** Lines mentioning SQLite, migrations or EADDRINUSE in any stderr. */
  readonly stateErrors: string[]
  readonly integrity: string
  /** server_runs rows written by this storm (a duplicate must never write one). */
  readonly runsRecorded: number
}

const DUPLICATE = /^codexd: app-server control socket is already in use at (.+)$/m

/**
 * Launches `count` `codexd app-server --listen unix://` processes at once on `home` and reports
 * what they left: listeners, duplicate errors, state errors and the database's integrity.
 * Survivors are left running for the caller to inspect and stop.
 */
export async function launchStorm(home: TempHome, count: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<StormResult> {
  const before = await runsRecorded(home)
  const children = Array.from({length: count}, () => spawnCodexd(['app-server', '--listen', 'unix://'], {...home.env, ...extraEnv}))
  const outcomes = new Map<ChildProcess, Finished>()
  const output = new Map<ChildProcess, {stderr: string}>()
  for (const child of children) {
    const record = {stderr: ''}
    output.set(child, record)
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (record.stderr += chunk))
    void finished(child).then((result) => outcomes.set(child, result))
  }
  const socketPath = connectPathFor(home.paths.appServerSocket)
  // Settled when every process has either exited or reported that it listens.
  await waitFor(() => children.every((child) => outcomes.has(child) || output.get(child)!.stderr.includes('listening on')), {timeoutMs: 90_000, what: 'every storm process to exit or listen'})
  const survivors = children.filter((child) => !outcomes.has(child) && child.pid !== undefined && isAlive(child.pid))
  let duplicateErrors = 0
  const otherFailures: string[] = []
  for (const [child, result] of outcomes) {
    if (result.code === 6 && DUPLICATE.test(result.stderr)) duplicateErrors++
    else otherFailures.push(`pid ${child.pid} exit ${result.code ?? result.signal}: ${result.stderr.trim()}`)
  }
  const stateErrors = [...output.values()].flatMap(({stderr}) => stderr.split('\n').filter((line) => /sqlite|migration|already exists|malformed|EADDRINUSE/i.test(line)))
  const {db} = await StateDatabase.open(home.paths.builtinDb, builtinMigrations)
  try {
    const integrity = (await db.get<{integrity_check: string}>('PRAGMA integrity_check'))?.integrity_check ?? 'missing'
    const runs = (await db.get<{n: number}>('SELECT count(*) AS n FROM server_runs'))?.n ?? 0
    return {listeners: listenerCount(socketPath), survivors, duplicateErrors, otherFailures, stateErrors, integrity, runsRecorded: runs - before}
  } finally {
    await db.close()
  }
}

async function runsRecorded(home: TempHome): Promise<number> {
  try {
    const {db} = await StateDatabase.open(home.paths.builtinDb, builtinMigrations)
    try {
      return (await db.get<{n: number}>('SELECT count(*) AS n FROM server_runs'))?.n ?? 0
    } finally {
      await db.close()
    }
  } catch {
    return 0
  }
}
