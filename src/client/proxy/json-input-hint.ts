/** The hint byte mode prints when its client writes JSON lines instead of speaking WebSocket. */
export const JSONL_HINT = 'codexd proxy: the input looks like JSON-RPC lines, but without --jsonl the proxy passes raw bytes to a WebSocket server (which answers HTTP 400); for one JSON message per line use codexd proxy --jsonl'

/**
 * True when the first bytes a client sends look like JSON (`{` or `[` after optional blanks), not
 * like the HTTP upgrade a WebSocket client starts with.
 */
export function looksLikeJson(firstChunk: Buffer): boolean {
  const text = firstChunk.subarray(0, 64).toString('latin1').trimStart()
  return text.startsWith('{') || text.startsWith('[')
}
