/**
 * One declaration per setting: its type, default, bounds, environment variable and description.
 * The CLI's flag tables (src/cli/flags/) and the supervisor's configuration
 * (src/daemon/supervisor/config.ts) are written as records of these, so a default or a bound is
 * stated once and the same parser checks it wherever the value comes from (a flag, a variable).
 */
export interface SettingSpec {
  readonly type: 'boolean' | 'string' | 'integer' | 'number'
  /** One line, lower case, no final period: shown by --help and in docs. */
  readonly description: string
  readonly default?: boolean | string | number
  /** Inclusive bounds of an integer or number. */
  readonly min?: number
  readonly max?: number
  /** The only values a string may take. */
  readonly options?: readonly string[]
  /** The environment variable read when the setting is not given otherwise. */
  readonly env?: string
}

/** The value a setting of type `T` holds. */
export type SettingValue<T extends SettingSpec['type']> = T extends 'boolean' ? boolean : T extends 'string' ? string : number

/** What a value must be, as a phrase: "a whole number >= 0", "one of bash, zsh, fish". */
export function expectation(spec: SettingSpec): string {
  if (spec.type === 'boolean') return 'no value'
  if (spec.type === 'string') return spec.options ? `one of ${spec.options.join(', ')}` : 'a value'
  const kind = spec.type === 'integer' ? 'a whole number' : 'a number'
  const bounds = [spec.min === undefined ? '' : `>= ${spec.min}`, spec.max === undefined ? '' : `<= ${spec.max}`].filter(Boolean).join(' and ')
  return bounds ? `${kind} ${bounds}` : kind
}

/** Parses the text of a setting: its value, or undefined when the text is not what `spec` allows. */
export function parseSetting(spec: SettingSpec, raw: string): string | number | undefined {
  if (spec.type === 'boolean') return undefined // a boolean is present or absent, never spelled out
  // A free string is checked by what uses it (a --listen URL, a --server choice), which knows the forms.
  if (spec.type === 'string') return !spec.options || spec.options.includes(raw) ? raw : undefined
  const pattern = spec.type === 'integer' ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i
  const value = Number(raw)
  if (!pattern.test(raw.trim()) || !Number.isFinite(value)) return undefined
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) return undefined
  return value
}
