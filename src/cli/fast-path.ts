import {parseCommandLine, wantsHelp} from './flags/parse.js'
import type {CommandTable, Parsed} from './flags/table.js'
import {APP_SERVER, LOGS, PROXY, RESTART, RUN, SHELL_INIT, START, STATUS, STOP, VERSION} from './flags/tables.js'
import {reportError} from './report-error.js'

/** A command the fast path runs: parses its argv with the command's table, then runs its body. */
type HotCommand = (argv: readonly string[]) => Promise<number>

/** The hot command of `table`: `run` gets the parsed values (and loads the body only then). */
const hot =
  <T extends CommandTable>(table: T, run: (parsed: Parsed<T>) => Promise<number>): HotCommand =>
  (argv) =>
    run(parseCommandLine(table, argv))

/**
 * The everyday commands, answered without oclif (about 70 ms and 15 MB of module loading). Each
 * body is its own bundle (scripts/build-hot.mjs), so `status` never pays for the start path.
 */
const HOT: Record<string, HotCommand> = {
  status: hot(STATUS, async ({flags}) => (await import('./hot/status.js')).runStatus(flags)),
  start: hot(START, async ({flags}) => (await import('./hot/start.js')).runStart(flags)),
  stop: hot(STOP, async ({flags}) => (await import('./hot/stop.js')).runStop(flags)),
  restart: hot(RESTART, async ({flags}) => (await import('./hot/restart.js')).runRestart(flags)),
  logs: hot(LOGS, async ({flags}) => (await import('./hot/logs.js')).runLogs(flags)),
  proxy: hot(PROXY, async ({flags}) => (await import('./hot/proxy.js')).runProxyCommand({sock: flags.sock, autostart: flags.autostart, server: flags.server, waitTimeoutMs: flags['wait-timeout'], jsonl: flags.jsonl})),
  'shell-init': hot(SHELL_INIT, async ({flags, args}) => (await import('./hot/shell-init.js')).runShellInit({shell: args.shell, write: flags.write})),
  version: hot(VERSION, async () => (await import('./hot/version.js')).printVersion()),
  // The two processes codexd spawns itself: the supervisor (`start`) and the built-in child (the
  // supervisor, at every restart): every cold start counts.
  run: hot(RUN, async ({flags}) => {
    await (await import('../daemon/supervisor/run.js')).runSupervisor(flags)
    process.exit(0)
  }),
  'app-server': hot(APP_SERVER, async ({flags}) => {
    await (await import('../daemon/app-server/run.js')).runBuiltinAppServer({listen: flags.listen, lockTimeoutMs: flags['lock-timeout']})
    process.exit(0)
  }),
}

/** `--version` and `-v` as the whole command line mean `version`. */
const VERSION_FLAGS = ['--version', '-v']

/**
 * The hot command an argv names, or undefined when oclif must run it: help (`-h`, `--help`,
 * no command), the other commands (service, smoke, completion, help), unknown commands.
 */
export function hotCommandOf(argv: readonly string[]): {hot: HotCommand; rest: readonly string[]} | undefined {
  const [first, ...rest] = argv.length === 1 && VERSION_FLAGS.includes(argv[0]) ? ['version'] : argv
  const command = first === undefined || !Object.hasOwn(HOT, first) ? undefined : HOT[first]
  return command && !wantsHelp(rest) ? {hot: command, rest} : undefined
}

/**
 * Runs an everyday command without loading oclif, or returns undefined when oclif must run it.
 * Flags are parsed from the command's table, exactly as its oclif command parses them; a usage
 * error is reported here (one line, exit 2). Resolves with the exit code.
 */
export async function runFastPath(argv: readonly string[]): Promise<number | undefined> {
  const found = hotCommandOf(argv)
  if (!found) return undefined
  try {
    return await found.hot(found.rest)
  } catch (error) {
    const code = reportError(error)
    if (code === undefined) throw error
    return code
  }
}
