/**
 * Default overall deadline of ensureSupervisor, and so of `codexd start` and `restart --timeout`.
 * A module of its own so the CLI's flag tables (loaded by the fast path) can state it without
 * loading the ensure path.
 */
export const DEFAULT_ENSURE_TIMEOUT_MS = 60_000
