import {usageError, type CodexdError} from '../../ground/errors/codexd-error.js'
import {expectation, parseSetting} from '../../ground/util/setting.js'
import type {CommandTable, FlagSpec, Parsed} from './table.js'

/** `-h` and `--help`: oclif shows the help; the fast path hands these command lines to it. */
export const HELP_FLAGS: readonly string[] = ['-h', '--help']

/** True when `argv` asks for help (before any `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => HELP_FLAGS.includes(arg))
}

/**
 * Parses a command line (the words after the command id) against its table: `--name value`,
 * `--name=value`, `-c value`, `-cvalue`, booleans without a value, `--` ending the flags. A value
 * is taken as written, so `--grace -5` is the value -5 (refused by its bound, not read as a flag).
 * An absent flag with `env` takes that variable's value, checked the same way; then the default.
 * Anything wrong is a usage error (exit 2) of one line naming the flag or argument and the value.
 */
export function parseCommandLine<T extends CommandTable>(table: T, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Parsed<T> {
  const fail = (problem: string): CodexdError => usageError(`${problem}: see codexd ${table.id} --help`)
  const entries = Object.entries(table.flags)
  const byChar = new Map(entries.filter(([, spec]) => spec.char).map(([name, spec]) => [spec.char, name]))
  const raw = new Map<string, string | true>()
  const positionals: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]
    if (word === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    const long = /^--([^=]+)(?:=(.*))?$/s.exec(word)
    const short = long ? null : /^-([^-\d])(.*)$/s.exec(word)
    if (!long && !short) {
      positionals.push(word)
      continue
    }
    const name = long ? long[1] : byChar.get(short![1])
    const spec = name === undefined ? undefined : table.flags[name]
    if (name === undefined || !spec) throw fail(`unknown flag ${long ? `--${long[1]}` : `-${short![1]}`}`)
    const inline = long ? long[2] : short![2] || undefined
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw fail(`--${name} takes no value, got "${inline}"`)
      raw.set(name, true)
      continue
    }
    const value = inline ?? argv[++i]
    if (value === undefined) throw fail(`--${name} needs a value (${expectation(spec)})`)
    raw.set(name, value)
  }

  const flags: Record<string, unknown> = {}
  for (const [name, spec] of entries) {
    flags[name] = flagValue(name, spec, raw.get(name), env, fail)
  }
  const args: Record<string, string | undefined> = {}
  for (const [name, spec] of Object.entries(table.args ?? {})) {
    const value = positionals.shift()
    const choices = spec.options ? `: ${spec.options.join(', ')}` : ''
    if (value === undefined && spec.required) throw fail(`missing argument <${name}> (${spec.description}${choices})`)
    if (value !== undefined && spec.options && !spec.options.includes(value)) throw fail(`<${name}> must be one of ${spec.options.join(', ')}, got "${value}"`)
    args[name] = value
  }
  if (positionals.length > 0) throw fail(`unexpected argument "${positionals[0]}"`)
  return {flags, args} as Parsed<T>
}

/** One flag's value: given on the command line, else from its variable, else its default. */
function flagValue(name: string, spec: FlagSpec, given: string | true | undefined, env: NodeJS.ProcessEnv, fail: (problem: string) => CodexdError): unknown {
  if (spec.type === 'boolean') return given === true
  if (given !== undefined) {
    const value = parseSetting(spec, given as string)
    if (value === undefined) throw fail(`--${name} must be ${expectation(spec)}, got "${given}"`)
    return value
  }
  const fromEnv = spec.env === undefined ? undefined : env[spec.env]
  if (fromEnv !== undefined && fromEnv !== '') {
    const value = parseSetting(spec, fromEnv)
    if (value === undefined) throw fail(`${spec.env} must be ${expectation(spec)}, got "${fromEnv}" (it sets --${name})`)
    return value
  }
  return spec.default
}
