import {reportError} from './report-error.js'

/** The plain forms of the hot commands that the fast path answers itself. */
export type HotInvocation =
  | {readonly command: 'status'; readonly json: boolean; readonly timeoutMs: number}
  | {readonly command: 'start'; readonly json: boolean; readonly server: string | undefined; readonly timeoutMs: number}
  | {readonly command: 'shell-init'; readonly shell: string}

/** bin/run.js offers only these commands to the fast path: keep its list in step with this file. */
const SHELLS_PRINTED_FAST = ['bash', 'zsh', 'fish']

const DEFAULT_STATUS_TIMEOUT_MS = 5000
/** Must equal DEFAULT_ENSURE_TIMEOUT_MS (src/ensure): not imported, so `status` never loads ensure. */
const DEFAULT_START_TIMEOUT_MS = 60_000

/**
 * Recognizes `status [--json] [--timeout N]`, `start [--json] [--server S] [--timeout N]` (also
 * `--flag=value`) and `shell-init bash|zsh|fish` (the `eval "$(codexd shell-init bash)"` form
 * runs at every shell start). Anything else (help, unknown or malformed flags, `--write`) is
 * undefined: oclif handles it, with its usual messages.
 */
export function parseHotInvocation(argv: readonly string[]): HotInvocation | undefined {
  const [command, ...rest] = argv
  if (command === 'shell-init') return rest.length === 1 && SHELLS_PRINTED_FAST.includes(rest[0]) ? {command, shell: rest[0]} : undefined
  if (command !== 'status' && command !== 'start') return undefined
  let json = false
  let server: string | undefined
  let timeoutMs = command === 'status' ? DEFAULT_STATUS_TIMEOUT_MS : DEFAULT_START_TIMEOUT_MS
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].startsWith('--') && rest[i].includes('=') ? [rest[i].slice(0, rest[i].indexOf('=')), rest[i].slice(rest[i].indexOf('=') + 1)] : [rest[i], undefined]
    const value = () => inline ?? rest[++i]
    if (flag === '--json' && inline === undefined) json = true
    else if (flag === '--timeout') {
      const parsed = Number(value())
      if (!Number.isInteger(parsed) || parsed < 1) return undefined
      timeoutMs = parsed
    } else if (flag === '--server' && command === 'start') {
      server = value()
      if (!server) return undefined
    } else return undefined
  }
  return command === 'status' ? {command, json, timeoutMs} : {command, json, server, timeoutMs}
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
    if (invocation.command === 'shell-init') return (await import('./hot/shell-init.js')).printShellInit(invocation.shell)
    if (invocation.command === 'status') return await (await import('./hot/status.js')).runStatus(invocation)
    return await (await import('./hot/start.js')).runStart(invocation)
  } catch (error) {
    const code = reportError(error)
    if (code === undefined) throw error
    return code
  }
}
