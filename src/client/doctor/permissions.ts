import {accessSync, constants, lstatSync, statSync, type Stats} from 'node:fs'
import {dirname} from 'node:path'
import {errnoCode} from '../../ground/errors/codexd-error.js'
import {checkPrivateDir} from '../../ground/home/private-dir.js'
import {planSocketEndpoint, socketPathFits} from '../../ground/home/socket-path.js'
import {homeSockets} from './socket-paths.js'
import {fail, ok, warn, type DoctorCheck, type DoctorContext} from './types.js'

function mode(stats: Stats): string {
  return (stats.mode & 0o777).toString(8).padStart(3, '0')
}

/** CODEX_HOME itself: a directory of yours that you can write; writable by others is a warning. */
function checkHomeDir(context: DoctorContext): DoctorCheck {
  const id = 'permissions:home'
  const {home} = context
  let stats: Stats
  try {
    stats = statSync(home)
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') return fail(id, `${home} cannot be read (${errnoCode(error)})`, `fix its permissions: chmod 700 ${home}`)
    if (context.homeFromEnv) return fail(id, `CODEX_HOME points to ${home}, which does not exist: codexd refuses it (exit 7)`, `create it (mkdir -m 700 -p ${home}) or unset CODEX_HOME`)
    return ok(id, `${home} does not exist yet: created on first start`)
  }
  if (!stats.isDirectory()) return fail(id, `CODEX_HOME ${home} is not a directory`, 'point CODEX_HOME at a directory')
  if (stats.uid !== context.uid) return fail(id, `${home} is owned by uid ${stats.uid}, not by you (uid ${context.uid})`, `chown it to yourself (chown ${context.uid} ${home}) or use a home of your own`)
  try {
    accessSync(home, constants.W_OK | constants.X_OK)
  } catch {
    return fail(id, `${home} is not writable by you (mode ${mode(stats)})`, `chmod u+rwx ${home}`)
  }
  if ((stats.mode & 0o022) !== 0) return warn(id, `${home} is writable by group or others (mode ${mode(stats)}): they can replace codex's and codexd's files`, `chmod 700 ${home}`)
  return ok(id, `${home}: yours, mode ${mode(stats)}`)
}

/** A directory codexd keeps private (0700, yours, not a symlink), judged exactly as codexd judges it before use. */
function checkPrivate(id: string, dir: string, absent: string): DoctorCheck {
  const stats = lstatSync(dir, {throwIfNoEntry: false})
  if (!stats) return ok(id, `${dir} does not exist yet: ${absent}`)
  try {
    checkPrivateDir(dir)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const [found, fix] = message.includes(': ') ? [message.slice(0, message.lastIndexOf(': ')), message.slice(message.lastIndexOf(': ') + 2)] : [message, `chmod 700 ${dir}`]
    return fail(id, `${found}: codexd refuses it (exit 7)`, fix)
  }
  return ok(id, `${dir}: yours, mode ${mode(stats)}`)
}

/** A socket codexd binds: a socket of yours (or codex's symlink to one), not readable or writable by others. */
function checkSocket(id: string, path: string, uid: number): DoctorCheck {
  const link = lstatSync(path, {throwIfNoEntry: false})
  if (!link) return ok(id, `${path} does not exist (nothing listens there now)`)
  let stats = link
  let shown = path
  if (link.isSymbolicLink()) {
    if (link.uid !== uid) return fail(id, `${path} is a symlink owned by uid ${link.uid}, not by you (uid ${uid}): codexd refuses it (exit 7)`, `remove it: rm ${path}`)
    try {
      stats = statSync(path)
      shown = `${path} (a link to its short path)`
    } catch {
      return ok(id, `${path} is a symlink whose target is gone (removed at the next start)`)
    }
  }
  if (!stats.isSocket()) return fail(id, `${shown} exists and is not a socket: codexd never deletes it and refuses to start (exit 7)`, `move it away: mv ${path} ${path}.moved`)
  if (stats.uid !== uid) return fail(id, `${shown} is owned by uid ${stats.uid}, not by you (uid ${uid})`, `stop the other user's server, then remove it: rm ${path}`)
  if ((stats.mode & 0o077) !== 0) return warn(id, `${shown} has mode ${mode(stats)}: others may connect if its directory lets them`, `chmod 600 ${path}`)
  return ok(id, `${shown}: a socket of yours, mode ${mode(stats)}`)
}

/**
 * Ownership and modes of every directory and socket codexd uses for this home: CODEX_HOME, codex's
 * app-server-control directory, codexd's own directory, the short socket directory (when a path
 * is too long), and both sockets.
 */
export function checkPermissions(context: DoctorContext): DoctorCheck[] {
  const {paths, uid, env} = context
  const checks = [
    checkHomeDir(context),
    checkPrivate('permissions:app-server-control', paths.controlDir, 'created 0700 on first start'),
    checkPrivate('permissions:codexd', paths.codexdDir, 'created 0700 on first start'),
  ]
  const long = homeSockets(context).map(([, path]) => path).find((path) => !socketPathFits(path))
  if (long !== undefined) checks.push(checkPrivate('permissions:short-socket-dir', dirname(planSocketEndpoint(long, env).bindPath), 'created 0700 on first start'))
  for (const [name, path] of homeSockets(context)) checks.push(checkSocket(`permissions:${name}-socket`, path, uid))
  return checks
}
