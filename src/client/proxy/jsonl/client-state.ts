import type {RequestId, Response} from '../../../ground/protocol/json-rpc.js'

/**
 * The JSON-RPC error code `codexd proxy --jsonl` answers a request with when the server went away
 * before answering it (docs/proxy.md). In the implementation-defined server-error range, away
 * from codex's own -32001 (overloaded).
 */
export const SERVER_RESTARTED_CODE = -32099

/** What the proxy does with one message from the server. */
export type ServerVerdict = {readonly kind: 'forward'} | {readonly kind: 'replay-reply'; readonly error?: unknown}

/** The id prefix of replayed `initialize` requests; their replies are the proxy's, never the client's. */
const REPLAY_ID_PREFIX = 'codexd-proxy-replay-'

type Message = Record<string, unknown>

/**
 * What the proxy must remember about one client session to survive a server restart: the
 * requests in flight (to answer them with an error instead of letting the client hang), and the
 * client's accepted `initialize` and its `initialized` notification (to replay them on the new
 * connection). Pure bookkeeping, no I/O.
 */
export class ClientState {
  private readonly inFlight = new Map<string, {id: RequestId; method: string}>()
  private pendingInitialize: {key: string; message: Message} | undefined
  private acceptedInitialize: Message | undefined
  private initializedMessage: Message | undefined
  private replays = 0
  private replayKey: string | undefined

  /** Requests sent to the server and not answered yet. */
  get inFlightCount(): number {
    return this.inFlight.size
  }

  /** Records a message the client sends (already parsed). */
  fromClient(message: unknown): void {
    if (!isObject(message) || typeof message.method !== 'string') return
    if (!isId(message.id)) {
      if (message.method === 'initialized') this.initializedMessage = message
      return
    }
    const key = idKey(message.id)
    this.inFlight.set(key, {id: message.id, method: message.method})
    if (message.method === 'initialize') this.pendingInitialize = {key, message}
  }

  /** Classifies a message from the server, clearing the request it answers. */
  fromServer(message: unknown): ServerVerdict {
    if (!isObject(message) || typeof message.method === 'string' || !isId(message.id)) return {kind: 'forward'}
    const key = idKey(message.id)
    if (key === this.replayKey) {
      this.replayKey = undefined
      return {kind: 'replay-reply', error: message.error}
    }
    this.inFlight.delete(key)
    if (this.pendingInitialize?.key === key) {
      if ('result' in message && !('error' in message)) this.acceptedInitialize = this.pendingInitialize.message
      this.pendingInitialize = undefined
    }
    return {kind: 'forward'}
  }

  /**
   * The error answers for every request in flight (the server went away before answering);
   * forgets them. `why` ends up in the message.
   */
  failInFlight(why: string): Response[] {
    const answers = [...this.inFlight.values()].map(({id, method}) => restartedError(id, method, why))
    this.inFlight.clear()
    this.pendingInitialize = undefined
    this.replayKey = undefined
    return answers
  }

  /**
   * What to send first on a new connection: the client's accepted initialize under a fresh id
   * of the proxy's own (its reply is swallowed), then the client's `initialized`, if it sent one.
   */
  replay(): {initialize: string; initialized?: string} | undefined {
    if (!this.acceptedInitialize) return undefined
    const id = `${REPLAY_ID_PREFIX}${++this.replays}`
    this.replayKey = idKey(id)
    return {initialize: JSON.stringify({...this.acceptedInitialize, id}), initialized: this.initializedMessage && JSON.stringify(this.initializedMessage)}
  }
}

/** The answer to request `id` that the server can no longer give. */
export function restartedError(id: RequestId | null, method: string | undefined, why: string): Response {
  return {
    id,
    error: {
      code: SERVER_RESTARTED_CODE,
      message: `${why}; the request${method ? ` ${method}` : ''} was not answered: send it again`,
      data: {codexdProxy: 'server-restarted'},
    },
  }
}

function isObject(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
}

/** Map key that keeps 1 and "1" apart. */
function idKey(id: RequestId): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`
}
