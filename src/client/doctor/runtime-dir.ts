import {lstatSync} from 'node:fs'
import {errnoCode} from '../../ground/errors/codexd-error.js'
import {shortSocketDir} from '../../ground/home/socket-path.js'
import {fail, ok, warn, type DoctorCheck, type DoctorContext} from './types.js'

/**
 * XDG_RUNTIME_DIR, where codexd puts the short socket of a too-long path: when set it must be a
 * directory of yours with mode 0700 (as pam_systemd makes it at login). Unset is fine: /tmp is used.
 */
export function checkRuntimeDir(context: DoctorContext): DoctorCheck {
  const id = 'xdg-runtime-dir'
  const dir = context.env.XDG_RUNTIME_DIR
  if (!dir) return ok(id, `XDG_RUNTIME_DIR is unset (usual over ssh without a systemd login session): short socket paths go to ${shortSocketDir(context.env)}`)
  if (!dir.startsWith('/')) return warn(id, `XDG_RUNTIME_DIR=${dir} is not an absolute path: codexd ignores it`, 'unset XDG_RUNTIME_DIR or set it to an absolute path')
  let stats
  try {
    stats = lstatSync(dir)
  } catch (error) {
    return warn(id, `XDG_RUNTIME_DIR=${dir} does not exist (${errnoCode(error)}): a session that set it has ended, or it was copied from another login`, `unset XDG_RUNTIME_DIR, or log in through a session that creates it (systemd-logind), or create it: mkdir -m 700 ${dir}`)
  }
  if (!stats.isDirectory()) return fail(id, `XDG_RUNTIME_DIR=${dir} is not a directory`, 'unset XDG_RUNTIME_DIR or point it at your runtime directory')
  if (stats.uid !== context.uid) return fail(id, `XDG_RUNTIME_DIR=${dir} is owned by uid ${stats.uid}, not by you (uid ${context.uid})`, 'unset XDG_RUNTIME_DIR or point it at your own runtime directory')
  if ((stats.mode & 0o077) !== 0) return warn(id, `XDG_RUNTIME_DIR=${dir} has mode ${(stats.mode & 0o777).toString(8)}, not 700`, `chmod 700 ${dir}`)
  return ok(id, `XDG_RUNTIME_DIR=${dir}: yours, mode 700`)
}
