/**
 * Optional (`--instructions`): the CPU work of the hot commands as instruction counts under
 * valgrind's callgrind, which do not depend on what else the machine is doing. It counts only
 * the command's own process: the supervisor's answer and the wait for it are not in it, so this
 * is the floor under row 1's wall-time ratio, not a replacement for it.
 */
import {startSupervisor, tempHome} from '../lib/homes.mjs'
import {CODEXD_BIN, run} from '../lib/procs.mjs'
import {ratio} from '../lib/stats.mjs'

export async function instructions({log}) {
  const probe = await run('valgrind', ['--version']).catch(() => ({code: 1}))
  if (probe.code !== 0) return [{what: 'instruction counts: skipped (valgrind is not installed)', met: undefined}]
  const home = tempHome('codexd-bench-instr-')
  await startSupervisor(home)
  log('instruction counts under callgrind: node -e 0 and the everyday commands (about 15 s each)')
  const count = async (args, env = home.env) => {
    const result = await run('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...args], {env})
    const found = /Collected : (\d+)/.exec(result.stderr)
    if (!found) throw new Error(`callgrind printed no count for node ${args.join(' ')}: ${result.stderr.slice(-300)}`)
    return Number(found[1])
  }
  const base = await count(['-e', '0'])
  const rows = []
  const stopped = tempHome('codexd-bench-instr-stopped-')
  const oclif = {...home.env, CODEXD_NO_FAST_PATH: '1'}
  const commands = [
    ['status', ['status']],
    ['start', ['start']],
    ['logs', ['logs']],
    ['logs --events', ['logs', '--events']],
    ['version', ['version']],
    ['stop, nothing running', ['stop'], stopped.env],
    ['status through oclif (CODEXD_NO_FAST_PATH=1)', ['status'], oclif],
    ['logs through oclif (CODEXD_NO_FAST_PATH=1)', ['logs'], oclif],
  ]
  for (const [label, args, env] of commands) {
    const value = await count([CODEXD_BIN, ...args], env)
    rows.push({what: `instructions: codexd ${label}${env === stopped.env ? '' : ', supervisor running'}`, codexd: `${(value / 1e6).toFixed(0)} M`, baseline: `${(base / 1e6).toFixed(0)} M node -e 0`, ratio: ratio(value, base), goal: 'info (CPU floor of row 1)', met: undefined})
  }
  return rows
}
