/**
 * The supervisor's tunables, read from the environment so `codexd start` passes them through to
 * the detached supervisor unchanged. Documented in docs/supervisor.md.
 */
export interface SupervisorConfig {
  /** First restart delay after an unstable exit. */
  readonly backoffMinMs: number
  /** Cap of the exponential backoff. */
  readonly backoffMaxMs: number
  readonly backoffFactor: number
  /** A child that served this long after its initialize round trip resets the backoff. */
  readonly stableMs: number
  /** This many unstable exits within `crashLoopWindowMs` enter the crash-loop state. */
  readonly crashLoopCount: number
  readonly crashLoopWindowMs: number
  /** How long a spawned child may take to answer initialize before it counts as failed. */
  readonly readyTimeoutMs: number
  /** Period of the app-server socket probe. */
  readonly probeIntervalMs: number
  /** How long one probe (connect and an initialize round trip) may take before it counts as failed. */
  readonly probeTimeoutMs: number
  /** This many failed probes in a row make a running child `unresponsive`: it is restarted. */
  readonly probeFailures: number
  /** SIGTERM-to-SIGKILL grace for the child's process group. */
  readonly stopGraceMs: number
  /** Wait for app-server-startup.lock when codexd holds it for a lock-unaware child. */
  readonly startupLockTimeoutMs: number
  /** The supervisor log is rotated past this size; `logKeep` old files are kept. */
  readonly logMaxBytes: number
  readonly logKeep: number
}

const VARIABLES: Record<keyof SupervisorConfig, [string, number]> = {
  backoffMinMs: ['CODEXD_BACKOFF_MIN_MS', 500],
  backoffMaxMs: ['CODEXD_BACKOFF_MAX_MS', 30_000],
  backoffFactor: ['CODEXD_BACKOFF_FACTOR', 2],
  stableMs: ['CODEXD_STABLE_MS', 10_000],
  crashLoopCount: ['CODEXD_CRASH_LOOP_COUNT', 5],
  crashLoopWindowMs: ['CODEXD_CRASH_LOOP_WINDOW_MS', 60_000],
  readyTimeoutMs: ['CODEXD_READY_TIMEOUT_MS', 60_000],
  probeIntervalMs: ['CODEXD_PROBE_INTERVAL_MS', 5000],
  probeTimeoutMs: ['CODEXD_PROBE_TIMEOUT_MS', 5000],
  probeFailures: ['CODEXD_PROBE_FAILURES', 3],
  stopGraceMs: ['CODEXD_STOP_GRACE_MS', 5000],
  startupLockTimeoutMs: ['CODEXD_STARTUP_LOCK_TIMEOUT_MS', 30_000],
  logMaxBytes: ['CODEXD_LOG_MAX_BYTES', 5 * 1024 * 1024],
  logKeep: ['CODEXD_LOG_KEEP', 3],
}

/** Reads the configuration; an unparsable value falls back to the default (and is reported). */
export function readSupervisorConfig(env: NodeJS.ProcessEnv = process.env): {config: SupervisorConfig; warnings: string[]} {
  const warnings: string[] = []
  const config = {} as Record<keyof SupervisorConfig, number>
  for (const [key, [name, fallback]] of Object.entries(VARIABLES) as [keyof SupervisorConfig, [string, number]][]) {
    const raw = env[name]
    const value = raw === undefined || raw === '' ? fallback : Number(raw)
    if (!Number.isFinite(value) || value < 0) {
      warnings.push(`${name}=${raw} is not a non-negative number; using ${fallback}`)
      config[key] = fallback
    } else config[key] = value
  }
  return {config, warnings}
}

/** The environment variable behind each setting, for docs and messages. */
export function configVariable(key: keyof SupervisorConfig): string {
  return VARIABLES[key][0]
}
