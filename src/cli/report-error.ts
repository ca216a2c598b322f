import {writeSync} from 'node:fs'
import {CodexdError} from '../ground/errors/codexd-error.js'

/**
 * Prints a CodexdError as codexd's one-line error (`codexd: <message>`) and returns its exit
 * code; returns undefined for any other error (a bug, left to the caller to surface).
 */
export function reportError(error: unknown): number | undefined {
  if (!(error instanceof CodexdError)) return undefined
  try {
    // Straight to fd 2, not through process.stderr: the supervisor's stderr is its log file, and
    // when that disk is full a failed stream write would crash the process (exit 1) and hide
    // the documented exit code this error carries.
    writeSync(2, `codexd: ${error.message}\n`)
  } catch {
    // Nowhere to say it; the exit code still does.
  }
  return error.exitCode
}
