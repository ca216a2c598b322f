import {parseArgs} from 'node:util'
import {FLAG_DEFAULTS} from './defaults.js'
import {reportError} from './report-error.js'

/** The plain forms of the hot commands that the fast path answers itself. */
export type HotInvocation =
  | {readonly command: 'status'; readonly json: boolean; readonly timeoutMs: number}
  | {readonly command: 'start'; readonly json: boolean; readonly server: string | undefined; readonly timeoutMs: number}
  | {readonly command: 'shell-init'; readonly shell: string}
  | {readonly command: 'proxy'; readonly sock: string | undefined; readonly autostart: boolean; readonly server: string | undefined; readonly waitTimeoutMs: number; readonly jsonl: boolean}
  | {readonly command: 'run'; readonly server: string | undefined}
  | {readonly command: 'app-server'; readonly listen: string; readonly lockTimeoutMs: number}

const SHELLS_PRINTED_FAST = ['bash', 'zsh', 'fish']

const flag = {
  boolean: {type: 'boolean'},
  string: {type: 'string'},
} as const

/** Strictly parses `args` against `options`; undefined for anything unknown or malformed. */
function parseFlags<T extends Record<string, {type: 'boolean' | 'string'}>>(args: readonly string[], options: T) {
  try {
    return parseArgs({args: [...args], options, strict: true, allowPositionals: false}).values
  } catch {
    return undefined
  }
}

/** A whole number >= `min`, the default when absent, NaN (refused) when malformed. */
function integer(value: string | boolean | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback
  const parsed = Number(value)
  return typeof value === 'string' && /^\d+$/.test(value) && parsed >= min ? parsed : Number.NaN
}

/**
 * Recognizes the plain forms of the commands that run often or from profiles and scripts:
 * `status [--json] [--timeout N]`, `start [--json] [--server S] [--timeout N]`,
 * `shell-init bash|zsh|fish`, and `proxy [--sock P] [--autostart] [--server S]
 * [--wait-timeout N] [--jsonl]`, and `run --daemon [--server S]` (how `start` spawns the
 * supervisor) and `app-server [--listen URL] [--lock-timeout N]` (the built-in child the supervisor
 * restarts: every cold start counts). Anything else (help, unknown or malformed flags, `--write`) is
 * undefined: oclif handles it, with its usual messages.
 */
export function parseHotInvocation(argv: readonly string[]): HotInvocation | undefined {
  const [command, ...rest] = argv
  switch (command) {
    case 'shell-init':
      return rest.length === 1 && SHELLS_PRINTED_FAST.includes(rest[0]) ? {command, shell: rest[0]} : undefined
    case 'status': {
      const values = parseFlags(rest, {json: flag.boolean, timeout: flag.string})
      const timeoutMs = integer(values?.timeout, FLAG_DEFAULTS.statusTimeoutMs, 1)
      return values && !Number.isNaN(timeoutMs) ? {command, json: values.json === true, timeoutMs} : undefined
    }
    case 'start': {
      const values = parseFlags(rest, {json: flag.boolean, server: flag.string, timeout: flag.string})
      const timeoutMs = integer(values?.timeout, FLAG_DEFAULTS.startTimeoutMs, 1)
      if (!values || Number.isNaN(timeoutMs) || values.server === '') return undefined
      return {command, json: values.json === true, server: values.server as string | undefined, timeoutMs}
    }
    case 'proxy': {
      const values = parseFlags(rest, {sock: flag.string, autostart: flag.boolean, server: flag.string, 'wait-timeout': flag.string, jsonl: flag.boolean})
      const waitTimeoutMs = integer(values?.['wait-timeout'], FLAG_DEFAULTS.proxyWaitMs, 0)
      if (!values || Number.isNaN(waitTimeoutMs)) return undefined
      return {command, sock: values.sock as string | undefined, autostart: values.autostart === true, server: values.server as string | undefined, waitTimeoutMs, jsonl: values.jsonl === true}
    }
    case 'run': {
      const values = parseFlags(rest, {daemon: flag.boolean, server: flag.string})
      if (!values || values.daemon !== true || values.server === '') return undefined
      return {command, server: values.server as string | undefined}
    }
    case 'app-server': {
      const values = parseFlags(rest, {listen: flag.string, 'lock-timeout': flag.string})
      const lockTimeoutMs = integer(values?.['lock-timeout'], FLAG_DEFAULTS.lockTimeoutMs, 0)
      if (!values || Number.isNaN(lockTimeoutMs)) return undefined
      return {command, listen: (values.listen as string | undefined) ?? FLAG_DEFAULTS.appServerListen, lockTimeoutMs}
    }
    default:
      return undefined
  }
}

/**
 * Runs a hot command without loading oclif (about 70 ms of module loading), or returns
 * undefined when the arguments need oclif. Resolves with the exit code.
 */
export async function runFastPath(argv: readonly string[]): Promise<number | undefined> {
  const invocation = parseHotInvocation(argv)
  if (!invocation) return undefined
  try {
    // Each command loads only its own modules: `status` never pays for the start path.
    switch (invocation.command) {
      case 'shell-init':
        return (await import('./hot/shell-init.js')).printShellInit(invocation.shell)
      case 'status':
        return await (await import('./hot/status.js')).runStatus(invocation)
      case 'start':
        return await (await import('./hot/start.js')).runStart(invocation)
      case 'proxy':
        return await (await import('./hot/proxy.js')).runProxyCommand(invocation)
      case 'run':
        await (await import('../daemon/supervisor/run.js')).runSupervisor({server: invocation.server, daemon: true})
        process.exit(0)
      case 'app-server':
        await (await import('../daemon/app-server/run.js')).runBuiltinAppServer({listen: invocation.listen, lockTimeoutMs: invocation.lockTimeoutMs})
        process.exit(0)
    }
  } catch (error) {
    const code = reportError(error)
    if (code === undefined) throw error
    return code
  }
}
