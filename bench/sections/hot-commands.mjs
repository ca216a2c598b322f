/**
 * Row 1: `codexd status` and `codexd start` with the supervisor already running, as a ratio to
 * bare `node -e 0`. The three commands are interleaved run by run so a change in machine load
 * hits all of them alike; medians of `runs` each.
 */
import {startSupervisor, tempHome} from '../lib/homes.mjs'
import {run, runCodexd} from '../lib/procs.mjs'
import {fmt, median, ratio} from '../lib/stats.mjs'

const GOAL = 1.3

export async function hotCommands({codex, log, runs}) {
  const rows = []
  const servers = [['builtin', {}, runs]]
  if (codex) servers.push([`codex ${codex.version}`, {CODEXD_CODEX_BIN: codex.bin}, Math.max(5, runs >> 1)])
  for (const [label, extraEnv, count] of servers) {
    const home = tempHome('codexd-bench-hot-', extraEnv)
    await startSupervisor(home, label === 'builtin' ? 'builtin' : 'codex')
    log(`hot commands (${label}): ${count} runs each of node -e 0, codexd status, codexd start`)
    const times = {node: [], status: [], start: []}
    const failures = []
    for (let i = -2; i < count; i++) {
      const node = await run(process.execPath, ['-e', '0'], {env: home.env})
      const status = await runCodexd(['status'], home.env)
      const start = await runCodexd(['start'], home.env)
      for (const [name, result] of [['status', status], ['start', start]]) if (result.code !== 0) failures.push(`${name} exit ${result.code}: ${result.stderr.trim()}`)
      if (i < 0) continue // warm-up: page cache, compile cache
      times.node.push(node.ms)
      times.status.push(status.ms)
      times.start.push(start.ms)
    }
    if (failures.length > 0) throw new Error(`hot commands failed: ${failures[0]}`)
    const base = median(times.node)
    for (const name of ['status', 'start']) {
      const value = median(times[name])
      rows.push({what: `codexd ${name}, supervisor running (${label}), median of ${count}`, codexd: fmt(value, 'ms'), baseline: `${fmt(base, 'ms')} node -e 0`, ratio: ratio(value, base), goal: `<= ${GOAL}x`, met: ratio(value, base) <= GOAL})
    }
  }
  return rows
}
