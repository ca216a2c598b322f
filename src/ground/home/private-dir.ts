import {chmodSync, lstatSync, mkdirSync} from 'node:fs'
import {CodexdError, errnoCode} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'

/**
 * Makes sure `dir` exists as a private directory: created with mode 0700 when missing, and
 * refused (never repaired behind the user's back) when it is a symlink, not a directory, owned
 * by another user, or writable by group or others. With `parentMustExist` only `dir` itself is
 * created: a running supervisor repairing its directories must never re-create a home deleted
 * between its check and the mkdir (that throws `parent-gone`).
 */
export function ensurePrivateDir(dir: string, options: {readonly parentMustExist?: boolean} = {}): void {
  try {
    mkdirSync(dir, {recursive: !options.parentMustExist, mode: 0o700})
  } catch (error) {
    const code = errnoCode(error)
    if (options.parentMustExist && code === 'EEXIST' && lstatSync(dir).isDirectory()) return checkPrivateDir(dir)
    if (options.parentMustExist && code === 'ENOENT') {
      throw new CodexdError('parent-gone', `cannot create ${dir}: its parent directory is gone`, ExitCode.BadPath, {cause: error})
    }
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new CodexdError('dir-not-dir', `${dir} exists and is not a directory: move it away so codexd can create the directory`, ExitCode.BadPath)
    }
    throw new CodexdError('dir-create', `cannot create directory ${dir} (${code}): check that its parent exists and is writable by you`, ExitCode.BadPath, {cause: error})
  }
  checkPrivateDir(dir)
}

/** checkPrivateDir when `dir` exists (for readers, which must not create it). */
export function checkPrivateDirIfPresent(dir: string): void {
  try {
    lstatSync(dir)
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return
    throw error
  }
  checkPrivateDir(dir)
}

/** Refuses a directory that another user could use to plant or hijack sockets. */
export function checkPrivateDir(dir: string): void {
  const stat = lstatSync(dir)
  if (stat.isSymbolicLink()) {
    throw new CodexdError('dir-symlink', `${dir} is a symlink, not a directory: remove it (rm ${dir}) so codexd can create a private directory`, ExitCode.BadPath)
  }
  if (!stat.isDirectory()) {
    throw new CodexdError('dir-not-dir', `${dir} exists and is not a directory: move it away so codexd can create the directory`, ExitCode.BadPath)
  }
  const uid = process.getuid?.()
  if (uid !== undefined && stat.uid !== uid) {
    throw new CodexdError('dir-owner', `${dir} is owned by uid ${stat.uid}, not by you (uid ${uid}): remove it or chown it to yourself`, ExitCode.BadPath)
  }
  if ((stat.mode & 0o022) !== 0) {
    const mode = (stat.mode & 0o777).toString(8)
    throw new CodexdError('dir-mode', `${dir} is writable by group or others (mode ${mode}): run chmod 700 ${dir}`, ExitCode.BadPath)
  }
}

/** Sets a socket file to 0600 (owner read/write only). */
export function makeSocketPrivate(socketPath: string): void {
  chmodSync(socketPath, 0o600)
}
