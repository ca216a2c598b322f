import type {HomePaths} from '../../ground/home/codex-home.js'

/** A check's verdict: `fail` stops the home from working (doctor exits 1); `warn` may, later or elsewhere. */
export type CheckStatus = 'ok' | 'warn' | 'fail'

/** One finding of `codexd doctor`: what was looked at, what was found, and the fix. */
export interface DoctorCheck {
  /** Stable identifier (docs/doctor.md lists them). */
  readonly id: string
  readonly status: CheckStatus
  /** What was found, one line, naming paths, pids and values. */
  readonly found: string
  /** What to do about it; null when the check is ok. */
  readonly fix: string | null
}

/** What every check looks at: one CODEX_HOME, the environment doctor runs in, and this user. */
export interface DoctorContext {
  /** The CODEX_HOME (absolute; it may not exist). */
  readonly home: string
  readonly paths: HomePaths
  /** True when CODEX_HOME was set (a missing directory is then an error, not created on demand). */
  readonly homeFromEnv: boolean
  readonly env: NodeJS.ProcessEnv
  readonly uid: number
}

/** A check: one or more findings about the context. */
export type Check = (context: DoctorContext) => DoctorCheck | DoctorCheck[] | Promise<DoctorCheck | DoctorCheck[]>

/** The finding of a check that reads Linux's /proc or statfs types, on another platform. */
export function notOnThisPlatform(id: string): DoctorCheck {
  return ok(id, `not checked on ${process.platform} (it reads Linux's /proc and statfs types)`)
}

/** An ok finding (no fix). */
export function ok(id: string, found: string): DoctorCheck {
  return {id, status: 'ok', found, fix: null}
}

/** A warning: the home works now, but may not later or elsewhere. */
export function warn(id: string, found: string, fix: string): DoctorCheck {
  return {id, status: 'warn', found, fix}
}

/** A failure: the home does not work until it is fixed. */
export function fail(id: string, found: string, fix: string): DoctorCheck {
  return {id, status: 'fail', found, fix}
}
