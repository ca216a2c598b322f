import type {SettingSpec, SettingValue} from '../../ground/util/setting.js'

/**
 * The flag table of a command: every flag and argument declared once, as plain data. Both the
 * oclif command (its `static flags`/`args`, for help, the manifest and completions:
 * src/cli/flags/oclif.ts) and the parser that every command runs, on the fast path and under
 * oclif alike (src/cli/flags/parse.ts), are generated from it. This module must not import oclif:
 * the fast path loads the tables.
 *
 *   export const STOP = {
 *     id: 'stop',
 *     flags: {
 *       grace: {type: 'integer', min: 0, default: 5000, env: 'CODEXD_STOP_GRACE_MS', description: '...'},
 *       json: {type: 'boolean', description: 'print the result as JSON'},
 *     },
 *     args: {shell: {description: 'the shell', options: ['bash', 'zsh', 'fish'], required: true}},
 *   } as const satisfies CommandTable
 *
 * A flag is a SettingSpec (type boolean|string|integer|number, description, default, min, max,
 * options, env) plus an optional one-letter `char` and `hidden`. A boolean is false unless given;
 * a flag with `env` takes that variable's value when absent, checked like the flag. The table of
 * each command lives in src/cli/flags/tables.ts; the command calls `this.parseTable(TABLE)`.
 */
export interface FlagSpec extends SettingSpec {
  readonly char?: string
  readonly hidden?: boolean
}

/** A positional argument. */
export interface ArgSpec {
  readonly description: string
  readonly required?: boolean
  readonly options?: readonly string[]
}

export interface CommandTable {
  /** The command id as typed, words separated by spaces ("service install"). */
  readonly id: string
  readonly flags: {readonly [name: string]: FlagSpec}
  readonly args?: {readonly [name: string]: ArgSpec}
}

/** The parsed value of a flag: a boolean, or the setting's value (undefined when absent without default). */
type FlagValue<F extends FlagSpec> = F['type'] extends 'boolean' ? boolean : F extends {readonly default: unknown} ? SettingValue<F['type']> : SettingValue<F['type']> | undefined

type ArgValue<A extends ArgSpec> = A extends {readonly required: true} ? string : string | undefined

/** What parsing a command line against table `T` yields. */
export interface Parsed<T extends CommandTable> {
  readonly flags: {readonly [K in keyof T['flags']]: FlagValue<T['flags'][K]>}
  readonly args: {readonly [K in keyof NonNullable<T['args']>]: ArgValue<NonNullable<T['args']>[K]>}
}
