import {ON_UPGRADE, type UpgradePolicy} from '../../ground/children/upgrade-policy.js'
import {expectation, parseSetting, type SettingSpec} from '../../ground/util/setting.js'

/**
 * The supervisor's tunables, one declaration each (src/ground/util/setting.ts), read from the
 * environment so `codexd start` passes them through to the detached supervisor unchanged.
 * Documented in docs/supervisor.md. `codexd stop --grace` takes its default and bounds from
 * `stopGraceMs` here.
 */
export const SUPERVISOR_SETTINGS = {
  backoffMinMs: {type: 'integer', min: 0, default: 500, env: 'CODEXD_BACKOFF_MIN_MS', description: 'first restart delay after an unstable exit (ms)'},
  backoffMaxMs: {type: 'integer', min: 0, default: 30_000, env: 'CODEXD_BACKOFF_MAX_MS', description: 'cap of the exponential backoff (ms)'},
  backoffFactor: {type: 'number', min: 0, default: 2, env: 'CODEXD_BACKOFF_FACTOR', description: 'growth of the backoff per unstable exit'},
  stableMs: {type: 'integer', min: 0, default: 10_000, env: 'CODEXD_STABLE_MS', description: 'a child that served this long after its initialize round trip resets the backoff (ms)'},
  crashLoopCount: {type: 'integer', min: 0, default: 5, env: 'CODEXD_CRASH_LOOP_COUNT', description: 'this many unstable exits within the crash-loop window enter the crash-loop state'},
  crashLoopWindowMs: {type: 'integer', min: 0, default: 60_000, env: 'CODEXD_CRASH_LOOP_WINDOW_MS', description: 'the crash-loop window (ms)'},
  readyTimeoutMs: {type: 'integer', min: 0, default: 60_000, env: 'CODEXD_READY_TIMEOUT_MS', description: 'how long a spawned child may take to answer initialize before it counts as failed (ms)'},
  probeIntervalMs: {type: 'integer', min: 0, default: 5000, env: 'CODEXD_PROBE_INTERVAL_MS', description: 'period of the app-server socket probe (ms)'},
  probeTimeoutMs: {type: 'integer', min: 1, default: 5000, env: 'CODEXD_PROBE_TIMEOUT_MS', description: 'how long one probe (connect and an initialize round trip) may take before it counts as failed (ms)'},
  probeFailures: {type: 'integer', min: 1, default: 3, env: 'CODEXD_PROBE_FAILURES', description: 'this many failed probes in a row make a running child unresponsive: it is restarted'},
  stopGraceMs: {type: 'integer', min: 0, default: 5000, env: 'CODEXD_STOP_GRACE_MS', description: "milliseconds between SIGTERM and SIGKILL of the child's process group"},
  startupLockTimeoutMs: {type: 'integer', min: 0, default: 30_000, env: 'CODEXD_STARTUP_LOCK_TIMEOUT_MS', description: 'wait for app-server-startup.lock when codexd holds it for a lock-unaware child (ms)'},
  logMaxBytes: {type: 'integer', min: 0, default: 5 * 1024 * 1024, env: 'CODEXD_LOG_MAX_BYTES', description: 'the supervisor log is rotated past this size (bytes)'},
  logKeep: {type: 'integer', min: 0, default: 3, env: 'CODEXD_LOG_KEEP', description: 'how many rotated logs are kept'},
  upgradeSettleMs: {type: 'integer', min: 0, default: 2000, env: 'CODEXD_UPGRADE_SETTLE_MS', description: "quiet time after the last change to codex's executable before its new version is read (ms)"},
  upgradeIdlePollMs: {type: 'integer', min: 10, default: 1000, env: 'CODEXD_UPGRADE_IDLE_POLL_MS', description: 'while an upgrade waits for clients to disconnect, how often the connections are counted (ms)'},
} as const satisfies Record<string, SettingSpec & {readonly env: string; readonly default: number}>

/** The supervisor's configuration: one number per setting of SUPERVISOR_SETTINGS. */
export type SupervisorConfig = {readonly [K in keyof typeof SUPERVISOR_SETTINGS]: number}

/**
 * Reads the configuration from `env`. The supervisor runs detached, with nobody to answer a
 * usage error, so a value its setting refuses falls back to the default and is reported in the
 * warnings (which the supervisor logs).
 */
export function readSupervisorConfig(env: NodeJS.ProcessEnv = process.env): {config: SupervisorConfig; warnings: string[]} {
  const warnings: string[] = []
  const config = {} as Record<keyof SupervisorConfig, number>
  for (const [key, spec] of Object.entries(SUPERVISOR_SETTINGS) as [keyof SupervisorConfig, (typeof SUPERVISOR_SETTINGS)[keyof SupervisorConfig]][]) {
    const raw = env[spec.env]
    const value = raw === undefined || raw === '' ? spec.default : parseSetting(spec, raw)
    if (typeof value !== 'number') warnings.push(`${spec.env}=${raw} is not ${expectation(spec)}; using ${spec.default}`)
    config[key] = typeof value === 'number' ? value : spec.default
  }
  return {config, warnings}
}

/**
 * The upgrade policy: `flag` (run --on-upgrade), else $CODEXD_ON_UPGRADE (which `start` sets for
 * the detached supervisor), else the default. A variable the setting refuses falls back to the
 * default with a warning, as readSupervisorConfig does.
 */
export function readUpgradePolicy(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): {policy: UpgradePolicy; warning?: string} {
  const raw = flag ?? env[ON_UPGRADE.env]
  if (raw === undefined || raw === '') return {policy: ON_UPGRADE.default}
  const value = parseSetting(ON_UPGRADE, raw)
  if (value === undefined) return {policy: ON_UPGRADE.default, warning: `${ON_UPGRADE.env}=${raw} is not ${expectation(ON_UPGRADE)}; using ${ON_UPGRADE.default}`}
  return {policy: value as UpgradePolicy}
}
