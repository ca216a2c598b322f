// Liveness means answering (issue 11, point 2): a child whose socket accepts connections but
// never answers (SIGSTOP) is found by the periodic probe, marked `unresponsive`, and replaced; a
// `proxy --jsonl` request in flight to it is answered with error -32099; a child that is only
// busy (answers within the probe's budget) is left alone.
import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import {SERVER_RESTARTED_CODE} from '../src/client/proxy/jsonl/client-state.js'
import {JsonlClient, spawnProxy} from './support/proxy-stdio.js'
import {fixtureCommand, isRunning, startAndTrack, status, supervisedHome, waitForStatus} from './support/supervisor-home.js'
import {RpcClient} from './support/ws-client.js'

/** Probe settings for these tests: every 200 ms, 1 s per round trip, 3 failures in a row. */
const LIVENESS = {CODEXD_PROBE_INTERVAL_MS: '200', CODEXD_PROBE_TIMEOUT_MS: '1000', CODEXD_PROBE_FAILURES: '3'}

describe('a wedged child (SIGSTOP) is unresponsive and replaced', {timeout: 120_000}, () => {
  // A long grace: a stopped process ignores SIGTERM, so `unresponsive` lasts the whole grace.
  const home = supervisedHome('builtin', {...LIVENESS, CODEXD_STOP_GRACE_MS: '4000'})
  after(async () => {
    await home.cleanup()
  })

  it('status shows unresponsive, the child is SIGKILLed after the grace, a new child serves, and the in-flight jsonl request gets -32099', async () => {
    const started = await startAndTrack(home)
    const wedged = started.child!.pid!
    const proxy = spawnProxy(['--jsonl'], home.env)
    const client = new JsonlClient(proxy)
    await client.initialize(1)
    process.kill(wedged, 'SIGSTOP')
    client.send({id: 2, method: 'thread/list', params: {}})
    const unresponsive = await waitForStatus(home.env, (r) => r.child?.state === 'unresponsive', 'the unresponsive state', 30_000)
    assert.equal(unresponsive.child?.pid, wedged, 'the wedged child is still the one shown')
    assert.match(unresponsive.child?.detail ?? '', /3 probes in a row/)
    const answer = await client.answer(2, 60_000)
    assert.equal(answer.error?.code, SERVER_RESTARTED_CODE, JSON.stringify(answer))
    const replaced = await waitForStatus(home.env, (r) => r.child?.state === 'running' && r.child.pid !== wedged, 'a new child serving', 60_000)
    assert.equal(isRunning(wedged), false)
    assert.equal(replaced.lastExit?.pid, wedged)
    assert.equal(replaced.lastExit?.signal, 'SIGKILL', 'a stopped child ignores SIGTERM: SIGKILL after the grace ended it')
    assert.ok(replaced.events.some((event) => event.kind === 'unresponsive'))
    const rpc = await RpcClient.connect(home.paths.appServerSocket)
    assert.ok(await rpc.initialize(), 'the new child answers')
    rpc.close()
    // The proxy reconnected to the new child and carries on.
    client.send({id: 3, method: 'thread/list', params: {}})
    const later = await client.answer(3, 30_000)
    assert.notEqual(later.error?.code, SERVER_RESTARTED_CODE, JSON.stringify(later))
    proxy.stdin!.end()
  })
})

describe('a busy child that still answers within the probe budget is never killed', {timeout: 120_000}, () => {
  const home = supervisedHome(fixtureCommand('serve'), {...LIVENESS, CODEXD_STOP_GRACE_MS: '1000'})
  after(() => home.cleanup())

  it('an event loop blocked for 1.8 s (more than one probe timeout, less than 3 in a row) three times over: same pid, still running, no restart', async () => {
    const started = await startAndTrack(home)
    const pid = started.child!.pid!
    const rpc = await RpcClient.connect(home.paths.appServerSocket)
    for (let round = 0; round < 3; round++) {
      const answer = await rpc.request('fixture/busy', {ms: 1800})
      assert.equal(answer.result?.pid, pid)
      // Let a probe or two succeed between the busy spells, as between a client's requests.
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    rpc.close()
    const {report} = await status(home.env)
    assert.equal(report.child?.state, 'running')
    assert.equal(report.child?.pid, pid)
    assert.equal(report.restarts, 0)
    assert.ok(!report.events.some((event) => event.kind === 'unresponsive'), JSON.stringify(report.events))
    assert.ok(isRunning(pid))
  })
})
