import {resolve} from 'node:path'
import type {Writable} from 'node:stream'
import {CodexdError, usageError} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'
import {homePaths, resolveCodexHome, type HomePaths} from '../../ground/home/codex-home.js'
import {autostart} from './autostart.js'
import {bridgeBytes} from './byte-bridge.js'
import {connectUnix} from './connect-unix.js'
import {JSONL_HINT, looksLikeJson} from './json-input-hint.js'
import {requireSupervisor} from './require-supervisor.js'
import {seeLog, socketOwner} from './socket-owner.js'
import {waitForServer} from './wait-for-server.js'

export interface ProxyOptions {
  /** `--sock PATH`; default: the app-server socket of CODEX_HOME. */
  readonly sock?: string
  /** `--autostart`: run the ensure path when nothing answers. */
  readonly autostart: boolean
  /** `--server`: which app-server an autostarted supervisor runs. */
  readonly server?: string
  /** `--wait-timeout`: how long to wait for an absent or refusing socket. */
  readonly waitTimeoutMs: number
  /** `--jsonl`: JSON lines on stdio instead of raw bytes. */
  readonly jsonl: boolean
}

/** One connection attempt may take this long before it counts as a (transient) timeout. */
const ATTEMPT_TIMEOUT_MS = 5000

/**
 * `codexd proxy`: waits for the app-server socket (autostarting when asked), then bridges stdio
 * to it, as raw bytes or as JSON lines. Resolves (exit 0) when the client ended and the proxy
 * drained; throws a ProxyFailed CodexdError when the server side ended or was not reachable.
 */
export async function runProxy(options: ProxyOptions): Promise<void> {
  const paths = homePaths(resolveCodexHome())
  const socket = options.sock === undefined ? paths.appServerSocket : resolve(options.sock)
  if (options.autostart && socket !== paths.appServerSocket) {
    throw usageError(`--autostart starts the supervisor of ${paths.home}, which serves ${paths.appServerSocket}, not ${socket}: drop --sock, or drop --autostart`)
  }
  const progress = (line: string) => process.stderr.write(`${line}\n`)
  const owner = socketOwner(socket, paths, {sockGiven: options.sock !== undefined})
  const wait = {
    socket,
    owner,
    waitTimeoutMs: options.waitTimeoutMs,
    progress,
    onUnreachable: onUnreachable(options, paths, progress),
    // CODEX_HOME's own socket without --autostart: waited for only while a supervisor runs or a
    // start is on its way, checked again at each retry (a stop that held the lock may have ended).
    whileUnreachable: !options.autostart && options.sock === undefined ? () => requireSupervisor(paths) : undefined,
  }
  const serverEnded = (what: string) => new CodexdError('proxy-server-ended', `${what}${seeLog(owner, ': ')}`, ExitCode.ProxyFailed)

  try {
    if (options.jsonl) {
      // Loaded only in this mode: byte mode never pays for ws.
      const [{runJsonlProxy}, {openWebSocket}] = await Promise.all([import('./jsonl/jsonl-proxy.js'), import('./jsonl/open-websocket.js')])
      const end = await runJsonlProxy({
        socket,
        connect: () => waitForServer(() => openWebSocket(socket, ATTEMPT_TIMEOUT_MS), wait),
        input: process.stdin,
        output: process.stdout,
        progress,
      })
      if (end.kind === 'server-lost') throw serverEnded(`the app-server at ${socket} went away before answering ${end.unanswered} request(s), which were answered with error -32099 (server side ended)`)
      return
    }
    const connection = await waitForServer(() => connectUnix(socket, ATTEMPT_TIMEOUT_MS), wait)
    const end = await bridgeBytes(connection, process.stdin, process.stdout, undefined, (chunk) => {
      if (looksLikeJson(chunk)) progress(JSONL_HINT)
    })
    if (end.side === 'server') throw serverEnded(`the app-server at ${socket} ${end.how === 'error' ? `broke the connection (${end.detail})` : 'closed the connection'} (server side ended)`)
  } finally {
    // Whatever the outcome, the client gets every byte and answer written so far before exit.
    await flushed(process.stdout)
  }
}

/**
 * What the wait does when the socket first fails to answer: --autostart runs the ensure path.
 * (Without it, CODEX_HOME's own socket is checked at every retry: whileUnreachable above.)
 */
function onUnreachable(options: ProxyOptions, paths: HomePaths, progress: (line: string) => void): ((remainingMs: number) => Promise<void>) | undefined {
  if (options.autostart) return (remainingMs) => autostart(paths, {server: options.server, remainingMs, progress})
  return undefined
}

/** Resolves once everything written to `stream` has been handed to the OS (or it failed). */
function flushed(stream: Writable): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve()
  return new Promise((done) => stream.write('', () => done()))
}
