/**
 * Row 3: 32 concurrent `codexd start` on an empty home vs one `codexd start` on an empty home,
 * wall time from the first spawn to the last exit. Each repetition uses fresh homes, cold and
 * storm alternate; also checks the storm's outcome (all exit 0, one supervisor, one child).
 *
 * The callers are started by one bash whose `times` reports the CPU they used (user + sys of the
 * waited-for callers; the detached supervisor and its child are not included): on a machine with
 * few cores, that CPU alone sets a floor under the storm's wall time.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {remember, statusOf, stopHome, tempHome} from '../lib/homes.mjs'
import {CODEXD_BIN, run} from '../lib/procs.mjs'
import {fmt, median, ratio} from '../lib/stats.mjs'
import {availableParallelism} from 'node:os'

const GOAL = 1.5
const CALLERS = 32

/** Starts `count` bare `node -e 0` at once from one bash: the floor of any 32 Node callers. */
const BARE = `for i in $(seq "$2"); do "$1" -e 0 & done
wait
times`

/** Starts `count` callers at once from one bash; waits for all; reports their CPU time. */
const LAUNCH = `
node="$1"; entry="$2"; server="$3"; out="$4"; count="$5"
for i in $(seq "$count"); do ( "$node" "$entry" start --server "$server" --json >"$out/out.$i" 2>"$out/err.$i"; echo "$? $EPOCHREALTIME" >"$out/code.$i" ) & done
wait
times`

export async function startStorm({codex, log, note, reps}) {
  const rows = []
  const servers = [['builtin', {}, reps]]
  if (codex) servers.push([`codex ${codex.version}`, {CODEXD_CODEX_BIN: codex.bin}, Math.max(2, reps - 1)])
  for (const [label, extraEnv, count] of servers) {
    const server = label === 'builtin' ? 'builtin' : 'codex'
    log(`start storm (${label}): ${count} x (one cold start, ${CALLERS} concurrent starts), fresh homes`)
    const wall = {cold: [], storm: []}
    const cpu = {cold: [], storm: []}
    const tail = {supervisor: [], spawn: [], ready: [], first: [], last: []}
    const bare = {wall: [], cpu: []}
    for (let i = 0; i < count; i++) {
      for (const [kind, callers] of [['cold', 1], ['storm', CALLERS]]) {
        const home = tempHome(`codexd-bench-${kind}-`, extraEnv)
        const startedAt = Date.now()
        const result = await run('bash', ['-c', LAUNCH, 'launch', process.execPath, CODEXD_BIN, server, home.home, String(callers)], {env: home.env})
        wall[kind].push(result.ms)
        cpu[kind].push(childrenCpuMs(result.stdout))
        const {readyAt, exits} = await checkOutcome(home, callers)
        if (kind === 'storm') {
          const log = readFileSync(home.paths.supervisorLog, 'utf8')
          tail.supervisor.push(logTime(log, / supervisor pid \d+ starting/) - startedAt)
          tail.spawn.push(logTime(log, / spawn: spawned /) - startedAt)
          tail.ready.push(readyAt - startedAt)
          tail.first.push(Math.min(...exits) - startedAt)
          tail.last.push(Math.max(...exits) - startedAt)
        }
        await stopHome(home)
      }
      const floor = await run('bash', ['-c', BARE, 'bare', process.execPath, String(CALLERS)])
      bare.wall.push(floor.ms)
      bare.cpu.push(childrenCpuMs(floor.stdout))
    }
    const value = median(wall.storm)
    const base = median(wall.cold)
    rows.push({what: `${CALLERS} concurrent codexd start, empty home (${label}), wall, median of ${count}`, codexd: fmt(value, 'ms'), baseline: `${fmt(base, 'ms')} one cold start`, ratio: ratio(value, base), goal: `<= ${GOAL}x`, met: ratio(value, base) <= GOAL})
    const cores = availableParallelism()
    note(`start storm (${label}): the ${CALLERS} callers used ${fmt(median(cpu.storm), 'ms', 0)} of CPU (one cold caller: ${fmt(median(cpu.cold), 'ms', 0)}); on ${cores} cores that alone is >= ${fmt(median(cpu.storm) / cores, 'ms', 0)} of wall time; the supervisor logged its start at +${fmt(median(tail.supervisor), 'ms', 0)} and spawned the child at +${fmt(median(tail.spawn), 'ms', 0)}, which answered initialize at +${fmt(median(tail.ready), 'ms', 0)}, the first caller exited at +${fmt(median(tail.first), 'ms', 0)}, the last at +${fmt(median(tail.last), 'ms', 0)}. ${CALLERS} concurrent bare \`node -e 0\` take ${fmt(median(bare.wall), 'ms', 0)} wall, ${fmt(median(bare.cpu), 'ms', 0)} CPU`)
  }
  return rows
}

/**
 * All callers exited 0 and named the same supervisor, which reports a running child. Returns when
 * the child became ready and when each caller exited (epoch ms).
 */
async function checkOutcome(home, callers) {
  const supervisors = new Set()
  const exits = []
  for (let i = 1; i <= callers; i++) {
    const [code, at] = readFileSync(join(home.home, `code.${i}`), 'utf8').trim().split(' ')
    exits.push(Number(at) * 1000)
    if (code !== '0') throw new Error(`codexd start #${i} on ${home.home} exited ${code}: ${readFileSync(join(home.home, `err.${i}`), 'utf8').trim()}`)
    supervisors.add(JSON.parse(readFileSync(join(home.home, `out.${i}`), 'utf8')).supervisorPid)
  }
  for (const pid of supervisors) remember(home, pid)
  const report = await statusOf(home)
  if (supervisors.size !== 1 || report?.state !== 'running') throw new Error(`${callers} starts on ${home.home}: ${supervisors.size} supervisors, state ${report?.state}`)
  return {readyAt: Date.parse(report.child.readyAt), exits}
}

/** Epoch ms of the first supervisor log line matching `pattern` (lines start with an ISO time). */
function logTime(log, pattern) {
  const line = log.split('\n').find((text) => pattern.test(text))
  return line ? Date.parse(line.slice(0, line.indexOf(' '))) : Number.NaN
}

/** user + sys of the waited-for children, from bash's `times` (second line: "0m1.234s 0m0.567s"). */
function childrenCpuMs(timesOutput) {
  const line = timesOutput.trim().split('\n').at(-1) ?? ''
  const seconds = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map(([, m, s]) => Number(m) * 60 + Number(s))
  return seconds.length === 2 ? (seconds[0] + seconds[1]) * 1000 : Number.NaN
}
