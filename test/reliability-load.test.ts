import assert from 'node:assert/strict'
import type {ChildProcess} from 'node:child_process'
import {after, describe, test} from 'node:test'
import {fdCount, rssKiB} from './support/proc-stats.js'
import {exitOf, rpcThroughProxy, spawnProxy} from './support/proxy-stdio.js'
import {runCodexd, trackPid, waitFor} from '../src/ground/harness/processes.js'
import {status, supervisedHome} from './support/supervisor-home.js'
import {RpcClient} from './support/ws-client.js'

/** Clients at once (half through `codexd proxy`, half direct) and requests each; CODEXD_LOAD_CLIENTS overrides for a quick run. */
const CLIENTS = Number(process.env.CODEXD_LOAD_CLIENTS ?? 200)
const BURST = 20
/** A generous bound on resident memory of the supervisor and of its built-in child. */
const MAX_RSS_MiB = 200

describe(`load: ${CLIENTS} clients at once against the built-in server under the supervisor`, {timeout: 600_000}, () => {
  // No liveness probe during the test: its initialize round trip is a connection too, and the
  // count of connections at once must be exactly the clients'.
  const home = supervisedHome('builtin', {CODEXD_PROBE_INTERVAL_MS: '600000'})
  after(() => home.cleanup())

  test(`half through codexd proxy, half direct; each initializes and sends ${BURST} codexd/echo at once: every request answered, memory bounded`, async (t) => {
    const started = await runCodexd(['start'], home.env)
    assert.equal(started.code, 0, started.stderr)
    const {report} = await status(home.env)
    const supervisor = report.supervisor!.pid
    const child = report.child!.pid!
    trackPid(supervisor)
    const idle = {supervisor: rssKiB(supervisor), child: rssKiB(child), childFds: fdCount(child)}

    const proxies: ChildProcess[] = []
    const connect = async (index: number): Promise<RpcClient> => {
      if (index % 2 === 1) return RpcClient.connect(home.paths.appServerSocket)
      const proxy = spawnProxy([], home.env)
      proxies.push(proxy)
      return rpcThroughProxy(proxy)
    }
    const clients = await Promise.all(Array.from({length: CLIENTS}, async (_, index) => {
      const client = await connect(index)
      await client.initialize(`load-${index}`)
      return client
    }))
    const probe = clients[1]
    assert.equal((await probe.request('codexd/status')).result.connections, CLIENTS, 'every client is connected at once')

    // Every client fires its burst without waiting for answers; every answer must carry its own params.
    const answers = await Promise.all(clients.map((client, index) => Promise.all(Array.from({length: BURST}, (_, n) => client.request('codexd/echo', {client: index, n})))))
    let answered = 0
    answers.forEach((burst, index) => burst.forEach((answer, n) => {
      assert.deepEqual(answer.result, {client: index, n}, `client ${index} request ${n}`)
      answered++
    }))
    assert.equal(answered, CLIENTS * BURST)
    const peak = {supervisor: rssKiB(supervisor), child: rssKiB(child), childFds: fdCount(child)}

    for (const client of clients) client.close()
    const exits = await Promise.all(proxies.map((proxy) => exitOf(proxy)))
    assert.deepEqual(exits.filter((exit) => exit.code !== 0), [], 'every proxy exits 0 when its client closes')
    // A proxied client whose proxy exited waits 30 s for a closing handshake that cannot come: cut it.
    for (const client of clients) client.socket.terminate()
    const observer = await RpcClient.connect(home.paths.appServerSocket)
    await observer.initialize('observer')
    await waitFor(async () => (await observer.request('codexd/status')).result.connections === 1, {timeoutMs: 30_000, what: 'every load connection to be closed by the server'})
    observer.close()
    const settled = {supervisor: rssKiB(supervisor), child: rssKiB(child), childFds: fdCount(child)}

    const mib = (kib: number) => (kib / 1024).toFixed(1)
    t.diagnostic(`VmRSS MiB supervisor idle ${mib(idle.supervisor)} peak ${mib(peak.supervisor)} after ${mib(settled.supervisor)}; child idle ${mib(idle.child)} peak ${mib(peak.child)} after ${mib(settled.child)}`)
    t.diagnostic(`child fds idle ${idle.childFds} peak ${peak.childFds} after ${settled.childFds}; ${CLIENTS * BURST} echo requests answered`)
    for (const [name, kib] of Object.entries({supervisor: Math.max(peak.supervisor, settled.supervisor), child: Math.max(peak.child, settled.child)})) {
      assert.ok(kib / 1024 < MAX_RSS_MiB, `${name} VmRSS ${mib(kib)} MiB stays under ${MAX_RSS_MiB} MiB`)
    }
    assert.ok(peak.childFds >= idle.childFds + CLIENTS, 'the child held a descriptor per client at the peak')
    assert.ok(settled.childFds <= idle.childFds + 2, `the child released its client descriptors (${settled.childFds} open, ${idle.childFds} idle)`)
  })
})
