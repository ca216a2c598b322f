/**
 * Row 1: the everyday commands, as a ratio to bare `node -e 0`: `status` and `start` with the
 * supervisor running; `logs`, `logs --events`, `version`, `--version` and `-v` on that home; `stop`
 * of a home where nothing runs (the idempotent stop of scripts). All are interleaved run by run,
 * in a shuffled order each run, so a change in machine load hits them alike; medians of `runs`
 * each. `restart` (a new app-server
 * child each time) is an informational row: the child's start and initialize dominate it.
 */
import {startSupervisor, tempHome} from '../lib/homes.mjs'
import {run, runCodexd} from '../lib/procs.mjs'
import {fmt, median, ratio} from '../lib/stats.mjs'

const GOAL = 1.3

/** What each run measures on the home with a supervisor running (name -> argv). */
const ON_RUNNING = {
  status: ['status'],
  start: ['start'],
  logs: ['logs'],
  'logs --events': ['logs', '--events'],
  version: ['version'],
  '--version': ['--version'],
  '-v': ['-v'],
}
/** Only `status` and `start` are measured against codex too: the others do not talk to the child. */
const WITH_CODEX = ['status', 'start']

export async function hotCommands({codex, log, runs}) {
  const rows = []
  const servers = [['builtin', {}, runs, ON_RUNNING]]
  if (codex) servers.push([`codex ${codex.version}`, {CODEXD_CODEX_BIN: codex.bin}, Math.max(5, runs >> 1), Object.fromEntries(WITH_CODEX.map((name) => [name, ON_RUNNING[name]]))])
  for (const [label, extraEnv, count, commands] of servers) {
    const home = tempHome('codexd-bench-hot-', extraEnv)
    const stopped = tempHome('codexd-bench-hot-stopped-', extraEnv)
    await startSupervisor(home, label === 'builtin' ? 'builtin' : 'codex')
    const measured = {...commands, ...(label === 'builtin' ? {stop: ['stop']} : {})}
    log(`hot commands (${label}): ${count} runs each of node -e 0, ${Object.keys(measured).map((name) => `codexd ${name}`).join(', ')}`)
    const times = Object.fromEntries(Object.keys(measured).map((name) => [name, []]))
    const nodeTimes = []
    const failures = []
    for (let i = -2; i < count; i++) {
      const node = await run(process.execPath, ['-e', '0'], {env: home.env})
      if (i >= 0) nodeTimes.push(node.ms) // the first two are warm-up: page cache, compile cache
      // A fresh order each round: a command's place after another one (a CPU-heavy one, or
      // the node baseline) must not bias its figure.
      for (const [name, argv] of shuffled(Object.entries(measured))) {
        const result = await runCodexd(argv, name === 'stop' ? stopped.env : home.env)
        if (result.code !== 0) failures.push(`${name} exit ${result.code}: ${result.stderr.trim()}`)
        if (i >= 0) times[name].push(result.ms)
      }
    }
    if (failures.length > 0) throw new Error(`hot commands failed: ${failures[0]}`)
    const base = median(nodeTimes)
    for (const name of Object.keys(measured)) {
      const value = median(times[name])
      const where = name === 'stop' ? 'nothing running' : `supervisor running (${label})`
      rows.push({what: `codexd ${name}, ${where}, median of ${count}`, codexd: fmt(value, 'ms'), baseline: `${fmt(base, 'ms')} node -e 0`, ratio: ratio(value, base), goal: `<= ${GOAL}x`, met: ratio(value, base) <= GOAL})
    }
    if (label === 'builtin') rows.push(await restartRow(home, Math.max(3, count >> 2), base, log))
  }
  return rows
}

/** `codexd restart` (the child only): informational, its time is the new child's start. */
async function restartRow(home, count, base, log) {
  log(`hot commands: ${count} runs of codexd restart`)
  const times = []
  for (let i = 0; i < count; i++) {
    const result = await runCodexd(['restart'], home.env)
    if (result.code !== 0) throw new Error(`restart exit ${result.code}: ${result.stderr.trim()}`)
    times.push(result.ms)
  }
  const value = median(times)
  return {what: `codexd restart (a new built-in child, until it answered initialize), median of ${count}`, codexd: fmt(value, 'ms'), baseline: `${fmt(base, 'ms')} node -e 0`, ratio: ratio(value, base), goal: 'none: the new child dominates'}
}

/** A copy of `items` in random order (Fisher-Yates). */
function shuffled(items) {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j], copy[i]]
  }
  return copy
}
