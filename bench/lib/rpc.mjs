/**
 * The benchmarks' JSON-RPC client: the one app-server client (src/ground/app-server-client/,
 * built into dist/), either straight on a unix socket or through a stdio proxy child
 * (`codexd proxy`, `codex app-server proxy`), exactly as a desktop app talks through
 * `ssh host codexd proxy`.
 */
import {AppServerClient} from '../../dist/ground/app-server-client/client.js'
import {initializeRoundTrip} from '../../dist/ground/app-server-client/initialize.js'
import {childStdioDuplex} from '../../dist/ground/app-server-client/stdio-duplex.js'
import {connectPathFor} from '../../dist/ground/home/socket-path.js'

/** Above codex's 16 MiB: the server's limit, never the client's, is what a bench meets. */
const MAX_PAYLOAD = 64 * 1024 * 1024

export const Rpc = {
  /** Opens a client on the socket behind `canonical` (long-path fallback followed). */
  direct: (canonical) => AppServerClient.open({socketPath: connectPathFor(canonical)}, {maxPayload: MAX_PAYLOAD}),
  /** Opens a client whose bytes go through a proxy child's stdin/stdout. */
  throughChild: (child) => AppServerClient.open({stream: childStdioDuplex(child)}, {maxPayload: MAX_PAYLOAD}),
}

/** One connect + initialize + close within 5 s; resolves true on success, false on any failure. */
export function initializeOnce(canonical) {
  return initializeRoundTrip({socketPath: connectPathFor(canonical)}, 5000, 'codexd-bench').then(() => true, () => false)
}
