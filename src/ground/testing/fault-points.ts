import {existsSync, writeSync} from 'node:fs'

/**
 * Test-only hooks, inert unless their environment variables are set. Documented in
 * docs/testing.md; never set them outside tests.
 *
 * CODEXD_TEST_FAULT=<phase>[,<phase>...] kills this process with SIGKILL when it reaches one of
 * the named phases, so tests can crash each startup phase deterministically.
 * CODEXD_TEST_FAULT=<phase>:hang stops there forever instead (for lock-holder tests).
 * CODEXD_TEST_FAULT=<phase>:pause stops there until the file CODEXD_TEST_RESUME names exists,
 * then goes on (for races made deterministic: another command arrives while this one waits).
 * Either way one line on stderr says which phase was reached, so a test can tell a fault that
 * fired from a phase name that never matched.
 */
export function faultPoint(phase: string): Promise<void> {
  const spec = process.env.CODEXD_TEST_FAULT
  if (!spec) return Promise.resolve()
  for (const entry of spec.split(',')) {
    const [name, action] = entry.split(':')
    if (name !== phase) continue
    if (action === 'hang') {
      announce(`hanging at ${phase}`)
      return new Promise(() => setInterval(() => {}, 1 << 30))
    }
    if (action === 'pause') return pauseUntilResumed(phase)
    announce(`SIGKILL at ${phase}`)
    process.kill(process.pid, 'SIGKILL')
  }
  return Promise.resolve()
}

/** Resolves once the file $CODEXD_TEST_RESUME exists (polled; never, when the variable is unset). */
function pauseUntilResumed(phase: string): Promise<void> {
  announce(`pausing at ${phase}`)
  const resume = process.env.CODEXD_TEST_RESUME
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (resume === undefined || !existsSync(resume)) return
      clearInterval(timer)
      announce(`resuming at ${phase}`)
      resolve()
    }, 20)
  })
}

/** Writes synchronously: the process may be killed right after. */
function announce(what: string): void {
  try {
    writeSync(2, `codexd test fault: ${what} (pid ${process.pid})\n`)
  } catch {
    // stderr closed: the fault still fires.
  }
}

/** CODEXD_TEST_NO_LOCK=1 skips the startup lock: only to show that the storm test can fail. */
export function startupLockDisabled(): boolean {
  return process.env.CODEXD_TEST_NO_LOCK === '1'
}
