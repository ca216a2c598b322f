import {ErrorCodes} from '../../ground/protocol/json-rpc.js'

/** What a method handler may read about the running server. */
export interface ServerContext {
  readonly codexHome: string
  readonly socketPath: string | undefined
  readonly stateDb: string
  readonly schemaVersion: number
  readonly startedAt: number
  connectionCount(): number
}

/** A handler's error: becomes a JSON-RPC error answer. */
export class MethodError extends Error {
  constructor(readonly code: number, message: string) {
    super(message)
  }
}

type Handler = (params: unknown, context: ServerContext) => unknown

/**
 * The built-in server's methods after `initialize` (docs/app-server.md):
 * - `codexd/status`: who is serving, since when, with how many connections;
 * - `codexd/echo`: returns its params unchanged (round-trip and throughput checks).
 */
export const methods: Readonly<Record<string, Handler>> = {
  'codexd/status': (_params, context) => ({
    server: 'codexd-builtin',
    pid: process.pid,
    codexHome: context.codexHome,
    socketPath: context.socketPath ?? null,
    stateDb: context.stateDb,
    schemaVersion: context.schemaVersion,
    startedAt: new Date(context.startedAt).toISOString(),
    uptimeMs: Date.now() - context.startedAt,
    connections: context.connectionCount(),
  }),
  'codexd/echo': (params) => params ?? null,
}

/** Validates `initialize` params: `clientInfo.name` is required, as in codex. */
export function readClientInfo(params: unknown): {name: string; title?: string; version?: string} {
  const info = typeof params === 'object' && params !== null ? (params as {clientInfo?: unknown}).clientInfo : undefined
  if (typeof info !== 'object' || info === null || typeof (info as {name?: unknown}).name !== 'string') {
    throw new MethodError(ErrorCodes.InvalidParams, 'Invalid params: clientInfo.name must be a string')
  }
  const {name, title, version} = info as {name: string; title?: unknown; version?: unknown}
  return {name, title: typeof title === 'string' ? title : undefined, version: typeof version === 'string' ? version : undefined}
}
