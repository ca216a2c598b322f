import {chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'

/** The one key codexd edits in codex's config: codex's `[features] daemon_auto_start` (default true). */
const KEY = 'daemon_auto_start'
/** The line codexd writes; `on` removes exactly this line again, so off-then-on restores the file. */
const OFF_LINE = `${KEY} = false`
/** The table codexd appends when the file has none; marked, so `on` knows to remove it whole. */
const APPENDED = `[features] # added by codexd codex-config daemon-auto-start off\n${OFF_LINE}\n`
const TABLE = /^\s*\[\s*features\s*\]\s*(#.*)?$/
const ANY_TABLE = /^\s*\[/
const KEY_LINE = new RegExp(`^(\\s*${KEY}\\s*=\\s*)(true|false)(\\s*(#.*)?)$`)
const DOTTED_KEY_LINE = new RegExp(`^(\\s*features\\.${KEY}\\s*=\\s*)(true|false)(\\s*(#.*)?)$`)

/** codex's config file of a home. */
export function codexConfigPath(home: string): string {
  return join(home, 'config.toml')
}

/** What `[features] daemon_auto_start` says in `text`: true/false when set, undefined when absent (codex's default: on). */
export function readDaemonAutoStart(text: string): boolean | undefined {
  const found = findKey(text.split('\n'))
  return found === undefined ? undefined : found.value
}

/**
 * `text` with `[features] daemon_auto_start` set to `on`, every other byte unchanged. off: the
 * value becomes false, or the line `daemon_auto_start = false` is added under `[features]` (the
 * table appended, marked as codexd's, when missing). on: codexd's own line, or the table it
 * appended, is removed, restoring codex's default; a line someone else wrote gets the value true.
 */
export function setDaemonAutoStart(text: string, on: boolean): string {
  if (on && text === APPENDED) return ''
  if (on && text.endsWith(`\n${APPENDED}`)) return text.slice(0, -(APPENDED.length + 1))
  const lines = text.split('\n')
  const found = findKey(lines)
  if (found) {
    const line = lines[found.index]
    if (on && line === OFF_LINE) {
      lines.splice(found.index, 1)
      return lines.join('\n')
    }
    lines[found.index] = line.replace(found.dotted ? DOTTED_KEY_LINE : KEY_LINE, (_all, head: string, _value: string, tail: string) => `${head}${on}${tail}`)
    return lines.join('\n')
  }
  if (on) return text // absent is codex's default: on
  const table = lines.findIndex((line) => TABLE.test(line))
  if (table >= 0) {
    lines.splice(table + 1, 0, OFF_LINE)
    return lines.join('\n')
  }
  return text === '' ? APPENDED : `${text}\n${APPENDED}`
}

/** The key's line: under `[features]`, or `features.daemon_auto_start` before any table. */
function findKey(lines: readonly string[]): {index: number; value: boolean; dotted: boolean} | undefined {
  let table: 'root' | 'features' | 'other' = 'root'
  for (const [index, line] of lines.entries()) {
    if (TABLE.test(line)) table = 'features'
    else if (ANY_TABLE.test(line)) table = 'other'
    else if (table === 'features' && KEY_LINE.test(line)) return {index, value: KEY_LINE.exec(line)![2] === 'true', dotted: false}
    else if (table === 'root' && DOTTED_KEY_LINE.test(line)) return {index, value: DOTTED_KEY_LINE.exec(line)![2] === 'true', dotted: true}
    else if (table === 'root' && /^\s*features\s*=\s*\{/.test(line)) {
      throw new CodexdError('codex-config-inline', `the codex config sets features as an inline table (${line.trim()}): edit daemon_auto_start there by hand`, ExitCode.BadPath)
    }
  }
  return undefined
}

/**
 * `codexd codex-config daemon-auto-start on|off` for `home`: rewrites `<home>/config.toml`
 * atomically (same mode) with only that key changed. Returns the state before and after.
 */
export function writeDaemonAutoStart(home: string, on: boolean): {path: string; before: boolean; after: boolean; changed: boolean} {
  const path = codexConfigPath(home)
  const existed = existsSync(path)
  let text = ''
  try {
    text = existed ? readFileSync(path, 'utf8') : ''
  } catch (error) {
    throw new CodexdError('codex-config-unreadable', `cannot read ${path} (${(error as NodeJS.ErrnoException).code}): fix its permissions`, ExitCode.BadPath)
  }
  const before = readDaemonAutoStart(text) ?? true
  const next = setDaemonAutoStart(text, on)
  if (next === text) return {path, before, after: on, changed: false}
  if (next === '') {
    rmSync(path, {force: true}) // only codexd's own lines were in it
    return {path, before, after: on, changed: true}
  }
  const temp = `${path}.codexd-${process.pid}.tmp`
  try {
    writeFileSync(temp, next, {mode: existed ? statSync(path).mode & 0o777 : 0o600})
    if (existed) chmodSync(temp, statSync(path).mode & 0o777)
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, {force: true})
    throw new CodexdError('codex-config-write', `cannot write ${path} (${(error as NodeJS.ErrnoException).code}): check that ${home} is writable`, ExitCode.BadPath)
  }
  return {path, before, after: on, changed: true}
}
