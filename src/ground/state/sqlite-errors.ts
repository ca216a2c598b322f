import {dirname} from 'node:path'
import {CodexdError} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'

/** The SQLite error code of `error` (`SQLITE_FULL`...), also through a CodexdError's cause. */
export function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const code = (error as {code?: unknown}).code
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return code
  return error instanceof CodexdError ? sqliteCode(error.cause) : undefined
}

/** True for the codes of a damaged file (moved aside by its owner, reported by readers). */
export function isCorruption(error: unknown): boolean {
  const code = sqliteCode(error)
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB'
}

/** What each SQLite error class means for a state file (`cannot VERB state database PATH: ...`) and the fix. */
const CLASSES: Record<string, {code: string; verb?: string; says: (path: string) => string}> = {
  SQLITE_FULL: {code: 'state-disk-full', verb: 'write', says: (path) => `the disk is full (SQLITE_FULL): free space on the filesystem that holds ${dirname(path)}`},
  SQLITE_READONLY: {code: 'state-read-only', verb: 'write', says: (path) => `it is read-only (SQLITE_READONLY): make it and ${dirname(path)} writable by you, or remount that filesystem read-write`},
  SQLITE_CANTOPEN: {code: 'state-cannot-open', verb: 'open', says: (path) => `it cannot be opened (SQLITE_CANTOPEN): check that ${dirname(path)} exists and is writable by you`},
  SQLITE_PERM: {code: 'state-permission', says: (path) => `access was denied (SQLITE_PERM): check the permissions of it and of ${dirname(path)}`},
  SQLITE_AUTH: {code: 'state-permission', says: (path) => `access was denied (SQLITE_AUTH): check the permissions of it and of ${dirname(path)}`},
  SQLITE_IOERR: {code: 'state-io-error', says: (path) => `the filesystem reported an I/O error (SQLITE_IOERR): check the disk that holds ${dirname(path)} (dmesg)`},
  SQLITE_BUSY: {code: 'state-busy', says: () => 'another process kept it locked past the busy timeout (SQLITE_BUSY): find the process that holds it (fuser), or retry'},
  SQLITE_LOCKED: {code: 'state-busy', says: () => 'it is locked (SQLITE_LOCKED): retry'},
  SQLITE_NOMEM: {code: 'state-no-memory', says: () => 'SQLite ran out of memory (SQLITE_NOMEM): free memory and retry'},
  SQLITE_CORRUPT: {code: 'state-corrupt', says: () => 'it is corrupt (SQLITE_CORRUPT): the next codexd start moves it aside (kept, not deleted) and starts a fresh one'},
  SQLITE_NOTADB: {code: 'state-corrupt', says: () => 'it is not a database (SQLITE_NOTADB): the next codexd start moves it aside (kept, not deleted) and starts a fresh one'},
}

/**
 * A SQLite failure on the state database at `path` as codexd's one-line state error (exit 9)
 * naming the file, the class and the fix; `error` unchanged when it is not a SQLite error.
 */
export function sqliteError(path: string, error: unknown): unknown {
  if (error instanceof CodexdError) return error
  const code = sqliteCode(error)
  if (code === undefined) return error
  const known = CLASSES[code]
  const detail = error instanceof Error ? error.message : String(error)
  const says = known ? known.says(path) : `SQLite failed (${detail}): check the file's permissions and free disk space`
  return new CodexdError(known?.code ?? 'state', `cannot ${known?.verb ?? 'use'} state database ${path}: ${says}`, ExitCode.StateError, {cause: error})
}
