/**
 * Flag defaults shared by the oclif commands and the fast path, which must not load the modules
 * behind them (so `status` never pays for ensure, `proxy` for ws). The start timeout equals
 * DEFAULT_ENSURE_TIMEOUT_MS (src/ensure); src/cli/fast-path.test.ts checks that it does.
 */
export const FLAG_DEFAULTS = {
  statusTimeoutMs: 5000,
  startTimeoutMs: 60_000,
  proxyWaitMs: 30_000,
  appServerListen: 'stdio://',
  lockTimeoutMs: 30_000,
} as const
