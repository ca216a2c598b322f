import type {DoctorCheck} from '../../src/client/doctor/types.js'
import type {TempHome} from '../../src/ground/harness/home.js'
import {runCodexd} from '../../src/ground/harness/processes.js'

/** Variables from the machine that would make a doctor run depend on who runs the tests. */
const MACHINE_VARIABLES = ['XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'CODEXD_CODEX_BIN', 'CODEXD_SERVER', 'CODEXD_LOGIN_PATH']

/** The environment for `codexd doctor` on a temp home: its HOME and CODEX_HOME, none of the machine's XDG or codexd variables, plus `extra`. */
export function doctorEnv(home: TempHome, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...home.env}
  for (const name of MACHINE_VARIABLES) delete env[name]
  return {...env, ...extra}
}

/** The JSON report of `codexd doctor --json`. */
export interface Report {
  schema: number
  home: string
  ok: boolean
  counts: {ok: number; warn: number; fail: number}
  checks: DoctorCheck[]
}

/** Runs `codexd doctor --json ARGS`; `check(id)` finds one finding (throws when there is none). */
export async function doctor(env: NodeJS.ProcessEnv, args: readonly string[] = []) {
  const run = await runCodexd(['doctor', '--json', ...args], env)
  let report: Report
  try {
    report = JSON.parse(run.stdout) as Report
  } catch {
    throw new Error(`codexd doctor printed no JSON (exit ${run.code}): ${run.stdout}${run.stderr}`)
  }
  const check = (id: string): DoctorCheck => {
    const found = report.checks.find((entry) => entry.id === id)
    if (!found) throw new Error(`no check ${id} in ${JSON.stringify(report.checks.map((entry) => entry.id))}`)
    return found
  }
  return {code: run.code, stderr: run.stderr, report, check}
}
