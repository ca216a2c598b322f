import {createHash} from 'node:crypto'
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {after, before} from 'node:test'
import {removeCodexDaemonFiles} from '../../src/ground/children/codex-daemon-files.js'
import {tempHome, type TempHome} from '../../src/ground/harness/home.js'
import {connectPathFor} from '../../src/ground/home/socket-path.js'
import {processesForHome} from '../../src/ground/proc/home-processes.js'
import {isAlive, listenerPids} from '../../src/ground/proc/processes.js'
import {runCodexd, waitFor} from '../../src/ground/harness/processes.js'
import {installRealCodex} from '../../src/ground/harness/real-codex.js'
import {FAST} from './supervisor-home.js'

/**
 * Kills (SIGKILL, by pid) every process whose environment has CODEX_HOME=`home`: codexd's
 * supervisor and child, codex's managed daemon and its updater, a TUI. Then removes what codex
 * keeps for the home under /tmp/codex-daemon-<uid>/ (its sockets are named by the sha256 of the
 * home's socket paths).
 */
export async function killEverythingOfHome(home: string): Promise<void> {
  const pids = processesForHome(home).map((process) => process.pid)
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone meanwhile
    }
  }
  await waitFor(() => pids.every((pid) => !isAlive(pid)), {timeoutMs: 10_000, what: `the processes of ${home} to exit`}).catch(() => {})
  const sockets = [join(home, 'app-server-control', 'app-server-control.sock'), join(home, 'app-server-daemon', 'daemon-updater.sock')]
  for (const socket of sockets) {
    removeCodexDaemonFiles(socket)
    const hashed = join('/tmp', `codex-daemon-${process.getuid?.() ?? 0}`, createHash('sha256').update(socket).digest('hex'))
    rmSync(hashed, {force: true})
    rmSync(`${hashed}.lock`, {force: true})
  }
}

/** The pids of the home's processes whose command line matches `pattern`. */
export function homePidsMatching(home: string, pattern: RegExp): number[] {
  return processesForHome(home).filter((process) => pattern.test(process.cmdline)).map((process) => process.pid)
}

/** codex's managed app-server of a home. */
export const MANAGED_DAEMON = /\bapp-server\b.*--managed-daemon/
/** codex's updater of a home. */
export const UPDATER = /app-server daemon pid-update-loop$/

/** One temporary home for a whole test file, with the real codex VERSION as codexd's child. */
export interface RealCodexHome {
  readonly home: TempHome
  /** The native codex binary; '' when skipped. */
  codex(): string
  /** Why the file's tests skip (the registry was unreachable), or undefined. */
  skip(): string | undefined
  /** The pids listening on the home's app-server socket (the kernel's table). */
  socketListeners(): number[]
}

/**
 * Registers before/after hooks: installs codex VERSION (or records why not), points codexd at it
 * (`--server codex`, the FAST supervisor settings plus `env`), and at the end stops codexd, runs
 * `beforeCleanup`, kills every process of the home by pid and removes the home.
 */
export function realCodexHomeForFile(version: string, prefix: string, env: NodeJS.ProcessEnv = {}, beforeCleanup: () => Promise<void> = async () => {}): RealCodexHome {
  const home = tempHome(prefix)
  Object.assign(home.env, FAST, {CODEXD_SERVER: 'codex'}, env)
  let codex = ''
  let skip: string | undefined
  before(async () => {
    const installed = await installRealCodex(version)
    if ('skip' in installed) skip = `npm registry unreachable, codex ${version} not installed: ${installed.skip}`
    else {
      codex = installed.bin
      home.env.CODEXD_CODEX_BIN = codex
    }
  })
  after(async () => {
    await beforeCleanup()
    await runCodexd(['stop', '--grace', '500'], home.env).catch(() => {})
    await killEverythingOfHome(home.home)
    home.remove()
  })
  return {home, codex: () => codex, skip: () => skip, socketListeners: () => listenerPids(connectPathFor(home.paths.appServerSocket))}
}
