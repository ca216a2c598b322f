/**
 * Runs `work` with a signal that aborts on Ctrl-C (SIGINT) or SIGTERM, for the commands that keep
 * printing until then (`logs -f`, `logs --events -f`, `status --watch`); the handlers are removed after.
 */
export async function untilInterrupted(work: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    await work(controller.signal)
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}
