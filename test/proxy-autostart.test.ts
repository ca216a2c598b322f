// `codexd proxy --autostart` (issue 4, point 2): 32 concurrent proxies on an empty home run the
// ensure path; exactly one supervisor and one app-server child start, and every client completes
// an initialize round trip (half speak WebSocket through byte mode, half JSON lines).
import assert from 'node:assert/strict'
import type {ChildProcess} from 'node:child_process'
import {after, describe, test} from 'node:test'
import {tempHome} from '../src/ground/harness/home.js'
import {isAlive, killAllStarted, runCodexd, trackPid, waitFor} from '../src/ground/harness/processes.js'
import {collect, exitOf, JsonlClient, processesUsingHome, rpcThroughProxy, spawnProxy} from './support/proxy-stdio.js'

const CLIENTS = 32
const home = tempHome('codexd-proxy-autostart-')

after(async () => {
  // Daemons started by --autostart are detached: stop them through the CLI, then make sure.
  const status = await runCodexd(['status', '--json'], home.env).catch(() => undefined)
  await runCodexd(['stop'], home.env).catch(() => undefined)
  try {
    const pid = JSON.parse(status?.stdout ?? '{}').supervisor?.pid
    if (typeof pid === 'number' && isAlive(pid)) process.kill(pid, 'SIGKILL')
  } catch {
    // No JSON: nothing was running.
  }
  for (const {pid} of processesUsingHome(home.home)) trackPid(pid)
  killAllStarted()
  home.remove()
})

/** One client's initialize round trip and the pid of the server that answered `codexd/status`. */
async function attach(proxy: ChildProcess, index: number): Promise<{userAgent: string; serverPid: number; finish(): void}> {
  if (index % 2 === 0) {
    const client = await rpcThroughProxy(proxy)
    const init = await client.initialize(`bytes-${index}`)
    const status = await client.request('codexd/status')
    return {userAgent: init.userAgent, serverPid: status.result.pid, finish: () => client.close()}
  }
  const client = new JsonlClient(proxy)
  const init = await client.initialize(1, `jsonl-${index}`)
  client.send({id: 2, method: 'codexd/status'})
  const status = await client.answer(2, 120_000)
  return {userAgent: init.result.userAgent, serverPid: status.result.pid, finish: () => proxy.stdin!.end()}
}

describe('codexd proxy --autostart', {timeout: 300_000}, () => {
  test(`${CLIENTS} concurrent proxies on an empty home start one supervisor and one child; every client initializes`, async (t) => {
    const proxies = Array.from({length: CLIENTS}, (_, index) => spawnProxy([...(index % 2 === 1 ? ['--jsonl'] : []), '--autostart', '--server', 'builtin', '--wait-timeout', '180000'], home.env))
    const stderrs = proxies.map((proxy) => collect(proxy.stderr))
    const sessions = await Promise.all(proxies.map((proxy, index) => attach(proxy, index)))

    for (const session of sessions) assert.match(session.userAgent, /^codexd-builtin\//)
    const serverPids = new Set(sessions.map((session) => session.serverPid))
    assert.equal(serverPids.size, 1, `every client reached the same app-server: ${[...serverPids]}`)

    const status = await runCodexd(['status', '--json'], home.env)
    assert.equal(status.code, 0, status.stderr)
    const report = JSON.parse(status.stdout)
    trackPid(report.supervisor.pid)
    trackPid(report.child.pid)
    assert.equal(report.child.pid, [...serverPids][0], 'the supervisor\'s child answered every client')

    const running = processesUsingHome(home.home).filter(({cmdline}) => !/ proxy /.test(`${cmdline} `))
    const supervisors = running.filter(({cmdline}) => / run( |$)/.test(cmdline))
    const children = running.filter(({cmdline}) => / app-server( |$)/.test(cmdline))
    t.diagnostic(`processes for the home besides the proxies: ${JSON.stringify(running)}`)
    assert.deepEqual(supervisors.map(({pid}) => pid), [report.supervisor.pid], 'exactly one supervisor')
    assert.deepEqual(children.map(({pid}) => pid), [report.child.pid], 'exactly one app-server child')

    for (const session of sessions) session.finish()
    const exits = await Promise.all(proxies.map((proxy) => exitOf(proxy)))
    exits.forEach((exit, index) => assert.equal(exit.code, 0, `proxy ${index}: ${stderrs[index]!.text()}`))
    await waitFor(() => isAlive(report.supervisor.pid), {what: 'the supervisor to outlive its proxies'})
  })
})
