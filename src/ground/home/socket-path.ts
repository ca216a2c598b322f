import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {CodexdError} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {symlinkTarget} from '../util/symlink-target.js'

/**
 * Longest unix socket path the kernel keeps: sun_path is 108 bytes on Linux (104 on macOS)
 * including the NUL. Node truncates longer paths silently, so every listen/connect checks first.
 */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'darwin' ? 103 : 107

/** True when `path` fits in sun_path without truncation. */
export function socketPathFits(path: string): boolean {
  return Buffer.byteLength(path) <= MAX_SOCKET_PATH_BYTES
}

/**
 * The private directory for sockets whose canonical path is too long:
 * `$XDG_RUNTIME_DIR/codexd` when that is set and short, else `<tmpdir>/codexd-<uid>`.
 */
export function shortSocketDir(env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env.XDG_RUNTIME_DIR
  if (runtime && runtime.startsWith('/') && Buffer.byteLength(runtime) < 60) return join(runtime, 'codexd')
  const base = Buffer.byteLength(tmpdir()) < 60 ? tmpdir() : '/tmp'
  return join(base, `codexd-${process.getuid?.() ?? 'user'}`)
}

/** The short socket path used in place of a too-long canonical path (stable per canonical path). */
export function shortSocketPath(canonical: string, env: NodeJS.ProcessEnv = process.env): string {
  // node:crypto only when a path is too long: loading it costs every `status` and `start` ~1.5 ms.
  const {createHash} = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
  const hash = createHash('sha256').update(resolve(canonical)).digest('hex').slice(0, 16)
  return join(shortSocketDir(env), `${hash}.sock`)
}

/** Where a socket is really bound, and whether the canonical path is a link to it. */
export interface SocketEndpoint {
  /** The path users and docs name. */
  readonly canonical: string
  /** The path passed to listen/connect; always fits in sun_path. */
  readonly bindPath: string
  /** True when `canonical` is (or will be) a symlink to `bindPath`. */
  readonly linked: boolean
}

/**
 * Plans where the socket for `canonical` is bound: at `canonical` itself when it fits, else at
 * the short private path, with `canonical` made a symlink to it (as codex 0.169 does).
 */
export function planSocketEndpoint(canonical: string, env: NodeJS.ProcessEnv = process.env): SocketEndpoint {
  if (socketPathFits(canonical)) return {canonical, bindPath: canonical, linked: false}
  const bindPath = shortSocketPath(canonical, env)
  if (!socketPathFits(bindPath)) {
    throw new CodexdError('socket-path-too-long', `socket path ${canonical} is ${Buffer.byteLength(canonical)} bytes (limit ${MAX_SOCKET_PATH_BYTES}) and the short fallback ${bindPath} is too long as well: set XDG_RUNTIME_DIR or TMPDIR to a short directory`, ExitCode.BadPath)
  }
  return {canonical, bindPath, linked: true}
}

/**
 * The path to connect to for `canonical`: the canonical path when it fits; else the target of
 * the symlink at the canonical path (when that fits), else the planned short path. Never a path
 * that Node would truncate.
 */
export function connectPathFor(canonical: string, env: NodeJS.ProcessEnv = process.env): string {
  if (socketPathFits(canonical)) return canonical
  const target = symlinkTarget(canonical)
  if (target !== undefined && socketPathFits(target)) return target
  return planSocketEndpoint(canonical, env).bindPath
}
