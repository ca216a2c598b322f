/** JSON-RPC as codex's app-server speaks it: no "jsonrpc" field required or sent. */

/** The largest message codex's app-server accepts (and announces in a response header): 16 MiB. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024

export type RequestId = string | number

export interface Request {
  readonly id: RequestId
  readonly method: string
  readonly params?: unknown
}

export interface Notification {
  readonly method: string
  readonly params?: unknown
}

export interface ErrorObject {
  readonly code: number
  readonly message: string
  readonly data?: unknown
}

export type Response = {readonly id: RequestId | null; readonly result: unknown} | {readonly id: RequestId | null; readonly error: ErrorObject}

export const ErrorCodes = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** codex's code for an overloaded server. */
  Overloaded: -32001,
} as const

/** A message after validation: what kind it is, or the error answer it deserves. */
export type Incoming =
  | {readonly kind: 'request'; readonly request: Request}
  | {readonly kind: 'notification'; readonly notification: Notification}
  | {readonly kind: 'response'}
  | {readonly kind: 'invalid'; readonly reply: Response}

/** Parses and classifies one text frame (or one stdio line). */
export function parseMessage(text: string): Incoming {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return {kind: 'invalid', reply: errorResponse(null, ErrorCodes.ParseError, 'Parse error')}
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {kind: 'invalid', reply: errorResponse(null, ErrorCodes.InvalidRequest, 'Invalid request: expected a JSON object')}
  }
  const message = value as Record<string, unknown>
  const id = message.id
  const validId = typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
  if (typeof message.method !== 'string') {
    if (validId && ('result' in message || 'error' in message)) return {kind: 'response'}
    return {kind: 'invalid', reply: errorResponse(validId ? (id as RequestId) : null, ErrorCodes.InvalidRequest, 'Invalid request: missing method')}
  }
  if (id === undefined) return {kind: 'notification', notification: {method: message.method, params: message.params}}
  if (!validId) return {kind: 'invalid', reply: errorResponse(null, ErrorCodes.InvalidRequest, 'Invalid request: id must be a string or a number')}
  return {kind: 'request', request: {id: id as RequestId, method: message.method, params: message.params}}
}

export function errorResponse(id: RequestId | null, code: number, message: string): Response {
  return {id, error: {code, message}}
}

export function resultResponse(id: RequestId, result: unknown): Response {
  return {id, result}
}
