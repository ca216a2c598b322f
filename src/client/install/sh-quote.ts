/** Quotes `value` as one literal /bin/sh word, always in single quotes (`'` written as `'\''`). */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** `value` as one /bin/sh word, quoted only when it holds a character the shell would interpret. */
export function shWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : shQuote(value)
}
