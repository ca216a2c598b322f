import {platform} from 'node:os'
import {CODEXD_VERSION} from '../../ground/product.js'
import {ErrorCodes, errorResponse, parseMessage, type Response, resultResponse} from '../../ground/protocol/json-rpc.js'
import {MethodError, methods, readClientInfo, type ServerContext} from './methods.js'

/** Called once per successful `initialize`, e.g. to record the client in the state database. */
export type OnInitialize = (client: {name: string; title?: string; version?: string}) => void

/** The userAgent of the built-in server: it never pretends to be codex. */
export const BUILTIN_USER_AGENT = `codexd-builtin/${CODEXD_VERSION} (codexd built-in app-server; node ${process.version}; ${platform()})`

/**
 * One client connection's protocol state: codex's initialize handshake (docs/app-server.md), then
 * method dispatch. Transport-agnostic: it takes a text message and returns the answer, if any.
 */
export class Session {
  private initialized = false

  constructor(private readonly context: ServerContext, private readonly onInitialize?: OnInitialize) {}

  /** Handles one message; returns the response to send, or undefined for none. */
  handle(text: string): Response | undefined {
    const incoming = parseMessage(text)
    switch (incoming.kind) {
      case 'invalid':
        return incoming.reply
      case 'response':
      case 'notification':
        // `initialized` and any other notification need no answer.
        return undefined
      case 'request': {
        const {id, method, params} = incoming.request
        try {
          if (method === 'initialize') return resultResponse(id, this.initialize(params))
          if (!this.initialized) return errorResponse(id, ErrorCodes.InvalidRequest, 'Not initialized')
          const handler = methods[method]
          if (!handler) return errorResponse(id, ErrorCodes.MethodNotFound, `Method not found: ${method}`)
          return resultResponse(id, handler(params, this.context))
        } catch (error) {
          if (error instanceof MethodError) return errorResponse(id, error.code, error.message)
          return errorResponse(id, ErrorCodes.InternalError, `Internal error: ${error instanceof Error ? error.message : String(error)}`)
        }
      }
    }
  }

  private initialize(params: unknown): unknown {
    if (this.initialized) throw new MethodError(ErrorCodes.InvalidRequest, 'Already initialized')
    const client = readClientInfo(params)
    this.initialized = true
    this.onInitialize?.(client)
    return {
      userAgent: BUILTIN_USER_AGENT,
      codexHome: this.context.codexHome,
      platformFamily: process.platform === 'win32' ? 'windows' : 'unix',
      platformOs: process.platform === 'darwin' ? 'macos' : process.platform,
    }
  }
}
