/**
 * Row 7: resident memory (VmRSS from /proc/<pid>/status) of the supervisor and of its app-server
 * child, idle and after each of two batches of client sessions. One batch:
 * - 1,000 app-server sessions: WebSocket connect on the app-server socket, initialize,
 *   initialized, close (20 at a time). These go to the child: the supervisor never sees them;
 * - 1,000 supervisor control sessions: connect to $CODEX_HOME/codexd/supervisor.sock, `ping`,
 *   close (20 at a time): what every `codexd start`/`status`/`proxy --autostart` does;
 * - `proxySessions` sessions through `codexd proxy --autostart` (a supervisor ping, then a byte
 *   bridge to the child), 5 at a time.
 * "No growth": the second batch leaves the supervisor within 2 MB of where the first left it.
 *
 * What-if rows (informational): the same with the supervisor (and, through NODE_OPTIONS, every
 * codexd process of that home) under a small V8 heap and no JIT, to show what the flags buy.
 */
import {readFileSync} from 'node:fs'
import {connect} from 'node:net'
import {connectPathFor} from '../../dist/ground/home/socket-path.js'
import {startSupervisor, tempHome} from '../lib/homes.mjs'
import {CODEXD_BIN, spawnTracked} from '../lib/procs.mjs'
import {Rpc} from '../lib/rpc.mjs'
import {fmt} from '../lib/stats.mjs'
import {once} from 'node:events'

const LIMIT_MB = 60
const GROWTH_MB = 2
/** V8 flags for the what-if rows (allowed in NODE_OPTIONS; --lite-mode is not). */
const WHAT_IF_FLAGS = '--max-old-space-size=16 --max-semi-space-size=1 --jitless'

export async function memory({codex, log, note, sessions, proxySessions}) {
  const rows = []
  const servers = [['builtin', {}, 'builtin']]
  if (codex) servers.push([`codex ${codex.version}`, {CODEXD_CODEX_BIN: codex.bin}, 'codex'])
  servers.push(['builtin child; what-if: small heap, no JIT', {NODE_OPTIONS: WHAT_IF_FLAGS}, 'builtin'])
  note(`memory what-if row: every codexd process of that home ran with NODE_OPTIONS='${WHAT_IF_FLAGS}'`)
  for (const [label, extraEnv, server] of servers) {
    const whatIf = 'NODE_OPTIONS' in extraEnv
    const home = tempHome('codexd-bench-mem-', extraEnv)
    const report = await startSupervisor(home, server)
    const pids = {supervisor: report.supervisor.pid, child: report.child.pid}
    await new Promise((resolve) => setTimeout(resolve, 1000)) // let start-up garbage settle
    const idle = rss(pids)
    const after = []
    for (let batch = 1; batch <= 2; batch++) {
      log(`memory (${label}): batch ${batch}: ${sessions} app-server sessions, ${sessions} supervisor pings, ${proxySessions} proxy sessions`)
      await pool(sessions, 20, () => appServerSession(home.paths.appServerSocket))
      await pool(sessions, 20, () => supervisorPing(home.paths.supervisorSocket))
      await pool(proxySessions, 5, () => proxySession(home.env))
      await new Promise((resolve) => setTimeout(resolve, 1000))
      after.push(rss(pids))
    }
    const growth = after[1].supervisor - after[0].supervisor
    if (whatIf) {
      rows.push({what: `supervisor RSS idle / ${sessions} / ${2 * sessions} sessions (${label})`, codexd: `${fmt(idle.supervisor, 'MB')} / ${fmt(after[0].supervisor, 'MB')} / ${fmt(after[1].supervisor, 'MB')}`, baseline: '-', ratio: Number.NaN, goal: 'what-if', met: undefined})
      continue
    }
    rows.push({what: `supervisor RSS idle (${label} child)`, codexd: fmt(idle.supervisor, 'MB'), baseline: '-', ratio: Number.NaN, goal: `< ${LIMIT_MB} MB`, met: idle.supervisor < LIMIT_MB})
    rows.push({what: `supervisor RSS after ${sessions} sessions (${label} child)`, codexd: fmt(after[0].supervisor, 'MB'), baseline: `${fmt(idle.supervisor, 'MB')} idle`, ratio: after[0].supervisor / idle.supervisor, goal: `< ${LIMIT_MB} MB`, met: after[0].supervisor < LIMIT_MB})
    rows.push({what: `supervisor RSS growth, sessions ${sessions} -> ${2 * sessions} (${label} child)`, codexd: `${growth >= 0 ? '+' : ''}${fmt(growth, 'MB')}`, baseline: `${fmt(after[1].supervisor, 'MB')} after ${2 * sessions}`, ratio: Number.NaN, goal: `no growth (< ${GROWTH_MB} MB)`, met: growth < GROWTH_MB})
    rows.push({what: `app-server child RSS idle / ${sessions} / ${2 * sessions} sessions (${label})`, codexd: `${fmt(idle.child, 'MB')} / ${fmt(after[0].child, 'MB')} / ${fmt(after[1].child, 'MB')}`, baseline: '-', ratio: Number.NaN, goal: 'info', met: undefined})
  }
  return rows
}

/** VmRSS in MB of each named pid. */
function rss(pids) {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => {
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
    return [name, kb / 1024]
  }))
}

/** Runs `task` `count` times, `width` at a time; throws on the first failure. */
async function pool(count, width, task) {
  let next = 0
  await Promise.all(Array.from({length: Math.min(width, count)}, async () => {
    while (next < count) {
      next++
      await task()
    }
  }))
}

async function appServerSession(socket) {
  const client = await Rpc.direct(socket)
  await client.initialize()
  await client.close()
}

async function supervisorPing(canonical) {
  const socket = connect(connectPathFor(canonical))
  socket.setEncoding('utf8')
  await once(socket, 'connect')
  socket.write(`${JSON.stringify({type: 'ping'})}\n`)
  let answer = ''
  for await (const chunk of socket) {
    answer += chunk
    if (answer.includes('\n')) break
  }
  socket.destroy()
  if (!JSON.parse(answer).ok) throw new Error(`supervisor ping failed: ${answer}`)
}

async function proxySession(env) {
  const child = spawnTracked(process.execPath, [CODEXD_BIN, 'proxy', '--autostart'], {env, stdio: ['pipe', 'pipe', 'ignore']})
  const exited = once(child, 'exit')
  const client = await Rpc.throughChild(child)
  await client.initialize()
  await client.close()
  child.stdin.end()
  await exited
}
