import type {StatusReport} from '../../ground/protocol/status-report.js'
import type {HomePaths} from '../../ground/home/codex-home.js'
import type {Run, RunOptions} from '../../ground/harness/processes.js'

/** What a scenario needs before it runs (established by the runner, not timed). */
export type Precondition = 'stopped' | 'running'

/** One smoke scenario: a named, timed check against a real codexd. */
export interface Scenario {
  /** Stable id (JSON, JUnit classname suffix). */
  readonly id: string
  /** Human name (progress lines, JUnit testcase name). */
  readonly name: string
  readonly needs: Precondition
  /** Resolves with a one-line detail on success; throws ScenarioFailure (or any error) on failure. */
  run(context: SmokeContext): Promise<string>
}

/** A scenario failed for a stated reason (the message is the one-line verdict). */
export class ScenarioFailure extends Error {
  constructor(message: string, readonly details?: string) {
    super(message)
    this.name = 'ScenarioFailure'
  }
}

/** Everything scenarios use: the home, the server choice, and ways to run codexd against it. */
export interface SmokeContext {
  readonly paths: HomePaths
  /** The --server value (auto, builtin, codex, or a command). */
  readonly server: string
  /** The environment every codexd process gets (CODEX_HOME, CODEXD_SERVER). */
  readonly env: NodeJS.ProcessEnv
  /** Per-step timeout in ms (starts, waits for recovery). */
  readonly timeoutMs: number
  /** How many concurrent `codexd start` the storm runs. */
  readonly stormSize: number
  /** Aborted on Ctrl-C: long waits give up at once. */
  readonly signal: AbortSignal
  /** Runs `codexd ARGS` to completion (killed after opts.timeoutMs). */
  codexd(args: readonly string[], options?: Pick<RunOptions, 'timeoutMs'>): Promise<Run>
  /** `codexd status --json`, parsed; the exit code alongside. */
  status(): Promise<{code: number | null; report: StatusReport | undefined}>
}

/** The outcome of one scenario. */
export interface ScenarioResult {
  readonly id: string
  readonly name: string
  readonly status: 'passed' | 'failed' | 'skipped'
  readonly durationMs: number
  /** Success detail, failure verdict, or skip reason: one line. */
  readonly message: string
  /** Failure details (stderr tails, status JSON) for JUnit and --json. */
  readonly details?: string
}

/** The whole run: what `--json` prints and JUnit is made of. */
export interface SmokeReport {
  readonly ok: boolean
  readonly server: string
  readonly home: string
  readonly startedAt: string
  readonly durationMs: number
  readonly interrupted: boolean
  readonly scenarios: readonly ScenarioResult[]
  /** What cleanup did or could not do. */
  readonly cleanup: string
}
