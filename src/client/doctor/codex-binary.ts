import {execFile} from 'node:child_process'
import {CODEX_BIN_ENV, SERVER_ENV} from '../../ground/children/child-spec.js'
import {FIRST_LOCK_AWARE_CODEX, isLockAwareCodex, parseCodexVersion} from '../../ground/children/codex-version.js'
import {findOnPath} from '../../ground/children/find-on-path.js'
import {fail, ok, warn, type DoctorCheck, type DoctorContext} from './types.js'

const VERSION_TIMEOUT_MS = 15_000

/**
 * Runs `codex --version` with this home as CODEX_HOME (and the caller's HOME), so codex reads and
 * writes only this home, never ~/.codex of whoever runs doctor. Resolves with its output or the failure.
 */
function runVersion(bin: string, context: DoctorContext): Promise<{output: string} | {error: string}> {
  const env = {...context.env, CODEX_HOME: context.home}
  return new Promise((resolve) => {
    execFile(bin, ['--version'], {env, timeout: VERSION_TIMEOUT_MS, encoding: 'utf8'}, (error, stdout, stderr) => {
      if (error) resolve({error: String(stderr || error.message).trim().split('\n')[0]})
      else resolve({output: stdout})
    })
  })
}

/** codex on PATH (or $CODEXD_CODEX_BIN): its version, and whether it takes the startup lock itself. */
export async function checkCodex(context: DoctorContext): Promise<DoctorCheck> {
  const id = 'codex'
  const bin = context.env[CODEX_BIN_ENV] || findOnPath('codex', context.env)
  const server = context.env[SERVER_ENV]
  if (!bin) {
    if (server === 'codex') return fail(id, `${SERVER_ENV}=codex but no codex executable is on PATH (and ${CODEX_BIN_ENV} is not set)`, `install @openai/codex (npm install -g @openai/codex), set ${CODEX_BIN_ENV}, or unset ${SERVER_ENV}`)
    return ok(id, 'no codex on PATH: `auto` runs codexd\'s built-in app-server')
  }
  const ran = await runVersion(bin, context)
  if ('error' in ran) return fail(id, `${bin} --version failed: ${ran.error}`, `reinstall codex (npm install -g @openai/codex) or set ${CODEX_BIN_ENV} to a working codex`)
  const version = parseCodexVersion(ran.output)
  if (!version) return fail(id, `${bin} --version printed '${ran.output.trim()}', which has no version number`, `reinstall codex (npm install -g @openai/codex) or set ${CODEX_BIN_ENV} to a working codex`)
  if (!isLockAwareCodex(version)) {
    return warn(id, `codex ${version} at ${bin} does not take the startup lock itself (lock-aware from ${FIRST_LOCK_AWARE_CODEX}): codexd serializes its own launches, but a codex started elsewhere (the TUI, an editor) can race them`, `upgrade codex to ${FIRST_LOCK_AWARE_CODEX} or later (npm install -g @openai/codex@latest)`)
  }
  return ok(id, `codex ${version} at ${bin}, takes the startup lock itself`)
}
