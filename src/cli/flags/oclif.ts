import {Args, Flags, type Interfaces} from '@oclif/core'
import type {CommandTable, FlagSpec} from './table.js'

/**
 * A command's table as oclif flags and args: what `--help`, the oclif manifest and
 * `codexd completion` show. Parsing does not go through them: every command parses with
 * parseCommandLine (src/cli/flags/parse.ts), the same code the fast path runs.
 */
export function oclifFlags(table: CommandTable) {
  return Object.fromEntries(Object.entries(table.flags).map(([name, spec]) => [name, oclifFlag(spec)]))
}

/** The table's positional arguments as oclif args, in order. */
export function oclifArgs(table: CommandTable) {
  return Object.fromEntries(Object.entries(table.args ?? {}).map(([name, spec]) => [name, Args.string({description: spec.description, required: spec.required, options: spec.options ? [...spec.options] : undefined})]))
}

function oclifFlag(spec: FlagSpec) {
  const common = {
    description: spec.env ? `${spec.description} (env: ${spec.env})` : spec.description,
    char: spec.char as Interfaces.AlphabetLowercase | Interfaces.AlphabetUppercase | undefined,
    hidden: spec.hidden,
  }
  switch (spec.type) {
    case 'boolean':
      return Flags.boolean({...common, default: false})
    case 'integer':
      return Flags.integer({...common, min: spec.min, max: spec.max, default: spec.default as number | undefined})
    default:
      return Flags.string({...common, options: spec.options ? [...spec.options] : undefined, default: spec.default === undefined ? undefined : String(spec.default)})
  }
}
