import type {Shell} from './shells.js'

/**
 * Quotes `value` as one literal word for `shell`. POSIX-style shells: single quotes, with `'`
 * written as `'\''`. fish: single quotes, where only `\` and `'` need a backslash.
 */
export function quoteWord(shell: Shell, value: string): string {
  if (shell === 'fish') return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`
  return `'${value.replace(/'/g, `'\\''`)}'`
}
