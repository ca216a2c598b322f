import {lstatSync, type Stats, unlinkSync} from 'node:fs'
import {dirname} from 'node:path'
import {CodexdError, errnoCode} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {checkPrivateDirIfPresent} from '../home/private-dir.js'
import type {SocketEndpoint} from '../home/socket-path.js'
import {symlinkTarget} from '../util/symlink-target.js'
import {probeSocket} from './socket-probe.js'

/** codex's own message for a duplicate launch; kept verbatim so scripts can match either. */
export function alreadyInUseError(canonical: string): CodexdError {
  return new CodexdError('already-in-use', `app-server control socket is already in use at ${canonical}`, ExitCode.AlreadyInUse)
}

/** codex's own message for a non-socket file at the socket path (which is never deleted). */
export function notASocketError(path: string): CodexdError {
  return new CodexdError('not-a-socket', `app-server control socket path exists and is not a socket: ${path}`, ExitCode.BadPath)
}

/** What preparing the path found and did. */
export type PrepareOutcome = 'free' | 'removed-stale'

/**
 * Makes the socket path ready to bind, exactly as codex does: a live
 * listener is a duplicate launch; an absent path is free; a socket that refuses connections is
 * stale and removed; anything that is not a socket is an error and is never deleted. Must run
 * under the startup lock, or a concurrent launch could bind between the probe and the unlink.
 */
export async function prepareSocketPath(endpoint: SocketEndpoint): Promise<PrepareOutcome> {
  // A short-path directory that is a symlink or someone else's: refuse before touching anything in it.
  if (endpoint.linked) checkPrivateDirIfPresent(dirname(endpoint.bindPath))
  const probe = await probeSocket(endpoint.canonical)
  switch (probe.kind) {
    case 'live':
    case 'timeout':
      throw alreadyInUseError(endpoint.canonical)
    case 'error':
      throw new CodexdError('socket-unreachable', `cannot connect to app-server control socket at ${endpoint.canonical} (${probe.code}): check the permissions of ${dirname(endpoint.canonical)}`, ExitCode.BadPath)
    case 'absent':
    case 'refused':
      return removeStaleSocket(endpoint)
  }
}

/**
 * Checks, without connecting or removing anything, that nothing but a socket (or a symlink of
 * ours to one, or to nothing) occupies the socket path and its short path: the refusals of
 * prepareSocketPath, for a caller about to start a server (`codexd start`) that wants the error
 * before spawning anything.
 */
export function checkSocketPath(endpoint: SocketEndpoint): void {
  if (endpoint.linked) checkPrivateDirIfPresent(dirname(endpoint.bindPath))
  leftovers(endpoint)
}

/** Removes what is left of a dead listener; refuses (and keeps) anything else. */
function removeStaleSocket(endpoint: SocketEndpoint): PrepareOutcome {
  const paths = leftovers(endpoint)
  for (const path of paths) unlinkIfPresent(path)
  return paths.length > 0 ? 'removed-stale' : 'free'
}

/**
 * What a dead listener left at the socket path: a socket file, a symlink of ours that points to a
 * socket file or to nothing (with its target), a socket at the short path. Throws for anything
 * else, which must never be deleted.
 */
function leftovers(endpoint: SocketEndpoint): string[] {
  const found: string[] = []
  const canonicalStat = lstatOrUndefined(endpoint.canonical)
  const target = canonicalStat?.isSymbolicLink() ? symlinkTarget(endpoint.canonical) : undefined
  if (canonicalStat && target !== undefined) {
    assertOwnedByUs(endpoint.canonical, canonicalStat)
    const targetStat = lstatOrUndefined(target)
    if (targetStat && !targetStat.isSocket()) throw notASocketError(`${endpoint.canonical} -> ${target}`)
    if (targetStat) found.push(target)
    found.push(endpoint.canonical)
  } else if (canonicalStat) {
    if (!canonicalStat.isSocket()) throw notASocketError(endpoint.canonical)
    found.push(endpoint.canonical)
  }
  if (endpoint.bindPath !== endpoint.canonical) {
    const shortStat = lstatOrUndefined(endpoint.bindPath)
    if (shortStat && !shortStat.isSocket()) throw notASocketError(endpoint.bindPath)
    if (shortStat) found.push(endpoint.bindPath)
  }
  return found
}

function assertOwnedByUs(path: string, stat: Stats): void {
  const uid = process.getuid?.()
  if (uid !== undefined && stat.uid !== uid) {
    throw new CodexdError('foreign-symlink', `${path} is a symlink owned by uid ${stat.uid}, not by you: check who planted it, then remove it`, ExitCode.BadPath)
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined
    throw error
  }
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path)
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error
  }
}
