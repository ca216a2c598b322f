import {ExitCode, type ExitCodeValue} from './exit-codes.js'

/**
 * An error meant for the user: a one-line message that names the path or value and the fix,
 * and the documented exit code the command ends with.
 */
export class CodexdError extends Error {
  readonly exitCode: ExitCodeValue
  /** A stable machine-readable name for `--json` output and tests. */
  readonly code: string

  constructor(code: string, message: string, exitCode: ExitCodeValue, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'CodexdError'
    this.code = code
    this.exitCode = exitCode
  }
}

/** A usage error: bad flag, argument or URL. */
export function usageError(message: string): CodexdError {
  return new CodexdError('usage', message, ExitCode.Usage)
}

/** The node error code of an unknown thrown value, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as {code: unknown}).code)
    : undefined
}
