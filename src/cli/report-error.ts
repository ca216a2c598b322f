import {CodexdError} from '../errors/codexd-error.js'

/**
 * Prints a CodexdError as codexd's one-line error (`codexd: <message>`) and returns its exit
 * code; returns undefined for any other error (a bug, left to the caller to surface).
 */
export function reportError(error: unknown): number | undefined {
  if (!(error instanceof CodexdError)) return undefined
  process.stderr.write(`codexd: ${error.message}\n`)
  return error.exitCode
}
