import {lstatSync, readlinkSync} from 'node:fs'
import {MAX_SOCKET_PATH_BYTES, planSocketEndpoint, socketPathFits} from '../../ground/home/socket-path.js'
import {fail, ok, type DoctorCheck, type DoctorContext} from './types.js'

/** The sockets codexd binds or connects to for one home, by check id. */
export function homeSockets(context: DoctorContext): ReadonlyArray<readonly [name: string, path: string]> {
  return [['app-server', context.paths.appServerSocket], ['supervisor', context.paths.supervisorSocket]]
}

function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined
  } catch {
    return undefined
  }
}

/**
 * The length of each socket path against the kernel's sun_path limit, and where a too-long one
 * is really bound (the short private path its canonical path links to).
 */
export function checkSocketPaths(context: DoctorContext): DoctorCheck[] {
  return homeSockets(context).map(([name, path]) => {
    const id = `socket-path:${name}`
    const bytes = Buffer.byteLength(path)
    if (socketPathFits(path)) return ok(id, `${path} is ${bytes} bytes (limit ${MAX_SOCKET_PATH_BYTES}): bound where it is`)
    try {
      const plan = planSocketEndpoint(path, context.env)
      const target = linkTarget(path)
      const now = target !== undefined ? `; now a link to ${target}` : ''
      return ok(id, `${path} is ${bytes} bytes (limit ${MAX_SOCKET_PATH_BYTES}): bound at the short path ${plan.bindPath}, the long path is a symlink to it${now}`)
    } catch (error) {
      return fail(id, error instanceof Error ? error.message : String(error), 'set XDG_RUNTIME_DIR or TMPDIR to a short directory, or use a shorter CODEX_HOME')
    }
  })
}
