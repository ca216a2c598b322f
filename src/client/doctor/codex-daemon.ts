import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {isAlive} from '../../ground/proc/processes.js'
import {fail, notOnThisPlatform, ok, warn, type DoctorCheck, type DoctorContext} from './types.js'

/** A process of codex's own managed daemon: the server it runs, or its auto-updater. */
interface DaemonProcess {
  readonly pid: number
  readonly role: 'daemon' | 'updater'
  readonly cmdline: string
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return undefined // gone, or another user's
  }
}

/** The value of `name` in a NUL-separated /proc/PID/environ, or undefined. */
function environValue(environ: string, name: string): string | undefined {
  const entry = environ.split('\0').find((line) => line.startsWith(`${name}=`))
  return entry?.slice(name.length + 1)
}

/**
 * True when a process runs for `home`: its environment names it as CODEX_HOME, or it has no
 * CODEX_HOME and `home` is its ~/.codex, or its command line names a path inside `home`
 * (codex runs its daemon from `<home>/packages/app-server-daemon/`).
 */
function belongsToHome(environ: string | undefined, cmdline: string, home: string): boolean {
  if (cmdline.includes(`${home}/`)) return true
  if (environ === undefined) return false
  const codexHome = environValue(environ, 'CODEX_HOME')
  if (codexHome) return codexHome === home
  const userHome = environValue(environ, 'HOME')
  return userHome !== undefined && join(userHome, '.codex') === home
}

/** What a codex command line is: the updater (`app-server daemon pid-update-loop`), the managed server, or neither. */
function roleOf(argv: readonly string[], cmdline: string): DaemonProcess['role'] | undefined {
  const at = argv.indexOf('app-server')
  if (at < 0) return undefined
  if (argv[at + 1] === 'daemon' && argv[at + 2] === 'pid-update-loop') return 'updater'
  if (argv.includes('--managed-daemon') || cmdline.includes('/packages/app-server-daemon/')) return 'daemon'
  return undefined
}

/** Live processes of codex's managed daemon for `home` (Linux: /proc; this user's processes only). */
function daemonProcesses(home: string): DaemonProcess[] {
  const found: DaemonProcess[] = []
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (Number(pid) === process.pid) continue
    const raw = readProc(pid, 'cmdline')
    if (!raw) continue
    const argv = raw.split('\0').filter(Boolean)
    const cmdline = argv.join(' ')
    const role = roleOf(argv, cmdline)
    if (!role || !belongsToHome(readProc(pid, 'environ'), cmdline, home) || !isAlive(Number(pid))) continue
    found.push({pid: Number(pid), role, cmdline})
  }
  return found
}

/** The pid recorded in `<home>/app-server-daemon/daemon.pid` (JSON with a `pid`), when there is one. */
function recordedDaemonPid(home: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(join(home, 'app-server-daemon', 'daemon.pid'), 'utf8')) as {pid?: unknown}).pid
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function listProcesses(processes: readonly DaemonProcess[]): string {
  return processes.map(({pid, cmdline}) => `pid ${pid}: ${cmdline.length > 120 ? `${cmdline.slice(0, 117)}...` : cmdline}`).join('; ')
}

/**
 * codex's own managed daemon in this home (started by the TUI or `codex app-server daemon
 * start`), or the `pid-update-loop` updater it leaves behind after `daemon stop`: the daemon owns
 * the app-server socket (codexd cannot start), the updater can replace the server under codexd.
 */
export function checkCodexDaemon(context: DoctorContext): DoctorCheck {
  const id = 'codex-daemon'
  if (process.platform !== 'linux') return notOnThisPlatform(id)
  const processes = daemonProcesses(context.home)
  const recorded = recordedDaemonPid(context.home)
  if (recorded !== undefined && isAlive(recorded) && readProc(String(recorded), 'cmdline')?.includes('app-server') && !processes.some(({pid}) => pid === recorded)) {
    processes.push({pid: recorded, role: 'daemon', cmdline: `(recorded in ${join(context.home, 'app-server-daemon', 'daemon.pid')})`})
  }
  const daemons = processes.filter(({role}) => role === 'daemon')
  const updaters = processes.filter(({role}) => role === 'updater')
  const stopUpdaters = updaters.length > 0 ? `; then end its updater: kill ${updaters.map(({pid}) => pid).join(' ')}` : ''
  if (daemons.length > 0) {
    return fail(id, `codex's managed daemon serves this home (${listProcesses(daemons)}${updaters.length > 0 ? `; updater ${listProcesses(updaters)}` : ''}): codexd start refuses a socket another process serves (exit 6)`, `stop it: CODEX_HOME=${context.home} codex app-server daemon stop${stopUpdaters}; start the TUI with --no-daemon (or turn off the daemon_auto_start feature) so it does not come back`)
  }
  if (updaters.length > 0) {
    return warn(id, `codex's daemon updater is left running for this home (${listProcesses(updaters)}): it can start or replace the app-server under codexd`, `end it: kill ${updaters.map(({pid}) => pid).join(' ')}`)
  }
  const note = recorded !== undefined ? ` (its daemon.pid names pid ${recorded}, which is gone)` : ''
  return ok(id, `no managed daemon or updater of codex runs for this home${note}`)
}
