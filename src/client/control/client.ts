import {connect} from 'node:net'
import {dirname} from 'node:path'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import {checkPrivateDirIfPresent} from '../../ground/home/private-dir.js'
import {connectPathFor} from '../../ground/home/socket-path.js'
import {CONTROL_REQUEST_TYPES, CONTROL_REQUESTS, isControlRequestType, MAX_CONTROL_LINE_BYTES, type ControlAnswer, type ControlRequest, type ControlRequestType} from '../../ground/protocol/control.js'
import {connectFailure} from '../../ground/util/connect-failure.js'

/** Default wait for a supervisor's answer; a live supervisor answers in milliseconds. */
export const DEFAULT_CONTROL_TIMEOUT_MS = 5000

/**
 * Sends one request to the supervisor of `paths.home` over its control socket and resolves with
 * its answer, checked against the protocol (src/ground/protocol/control.ts) and without the
 * wire's `ok`. Fails with a CodexdError: `unknown-request` (exit 1) for a type the protocol does
 * not have (nothing is sent), `supervisor-not-running` (exit 3) when nothing listens (no socket
 * file, or a stale one), `supervisor-unreachable` (exit 4) when something is there but does not
 * answer within `timeoutMs`, `supervisor-bad-answer` (exit 4) when the answer is not JSON or not
 * the request's answer shape, and the supervisor's own code when it answered with an error.
 * Imports only node builtins and ground/ (the fast path loads it without oclif).
 */
export async function controlRequest<T extends ControlRequestType>(paths: HomePaths, request: {readonly type: T} & ControlRequest<T>, timeoutMs = DEFAULT_CONTROL_TIMEOUT_MS): Promise<ControlAnswer<T>> {
  if (!isControlRequestType(request.type)) {
    throw new CodexdError('unknown-request', `unknown control request '${String(request.type)}': expected one of ${CONTROL_REQUEST_TYPES.join(', ')}`, ExitCode.Internal)
  }
  // Never talk to a socket in a directory another user could have planted it in.
  checkPrivateDirIfPresent(dirname(paths.supervisorSocket))
  const socketPath = connectPathFor(paths.supervisorSocket)
  if (socketPath !== paths.supervisorSocket) checkPrivateDirIfPresent(dirname(socketPath))
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect({path: socketPath})
    let buffer = ''
    let connected = false
    const timer = setTimeout(() => {
      socket.destroy()
      reject(unreachable(paths, connected ? `did not answer '${request.type}' within ${timeoutMs} ms` : `did not accept a connection within ${timeoutMs} ms`))
    }, timeoutMs)
    const fail = (error: Error) => {
      clearTimeout(timer)
      socket.destroy()
      reject(error)
    }
    socket.setEncoding('utf8')
    socket.once('connect', () => {
      connected = true
      socket.write(`${JSON.stringify(request)}\n`)
    })
    socket.on('data', (chunk: string) => {
      buffer += chunk
      const end = buffer.indexOf('\n')
      if (end >= 0) {
        clearTimeout(timer)
        // The answer is complete: close at once rather than end() and wait for the supervisor's
        // side to close too, a wake-up of the supervisor that every status and start would wait on.
        socket.destroy()
        resolve(buffer.slice(0, end))
      } else if (buffer.length > MAX_CONTROL_LINE_BYTES) fail(unreachable(paths, 'sent an answer longer than the protocol allows'))
    })
    socket.once('end', () => {
      if (!buffer.includes('\n')) fail(unreachable(paths, `closed the connection without answering '${request.type}'`))
    })
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const failure = connectFailure(error.code)
      if (failure === 'absent' || failure === 'refused') fail(notRunning(paths))
      else fail(unreachable(paths, `cannot be reached (${error.code ?? error.message})`))
    })
  })
  let parsed: unknown
  try {
    parsed = JSON.parse(answer)
  } catch {
    throw badAnswer(paths, request.type, 'a line that is not JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badAnswer(paths, request.type, 'something other than a JSON object')
  const {ok, ...fields} = parsed as Record<string, unknown>
  if (ok !== true) {
    const code = typeof fields.code === 'string' ? fields.code : 'supervisor-error'
    throw new CodexdError(code, `supervisor for ${paths.home} refused '${request.type}': ${typeof fields.error === 'string' ? fields.error : 'no reason given'}`, ExitCode.ChildFailed)
  }
  if (!CONTROL_REQUESTS[request.type].isAnswer(fields)) throw badAnswer(paths, request.type, `an object that is not a '${request.type}' answer`)
  // isAnswer has just checked the shape of this request type's answer.
  return fields as unknown as ControlAnswer<T>
}

function badAnswer(paths: HomePaths, type: ControlRequestType, what: string): CodexdError {
  return new CodexdError('supervisor-bad-answer', `the codexd supervisor at ${paths.supervisorSocket} answered '${type}' with ${what}: it may be another codexd version; run codexd stop, then codexd start`, ExitCode.Unreachable)
}

function notRunning(paths: HomePaths): CodexdError {
  return new CodexdError('supervisor-not-running', `no codexd supervisor is running for ${paths.home} (nothing listens on ${paths.supervisorSocket}): run codexd start`, ExitCode.NotRunning)
}

function unreachable(paths: HomePaths, what: string): CodexdError {
  return new CodexdError('supervisor-unreachable', `the codexd supervisor at ${paths.supervisorSocket} ${what}: see ${paths.supervisorLog}, or run codexd stop to end it`, ExitCode.Unreachable)
}
