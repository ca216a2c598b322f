import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {INITIAL_MACHINE, isSettled, stateDetail, transition, type Machine, type SupervisorEvent} from './state-machine.js'

const policy = {backoffMinMs: 100, backoffMaxMs: 350, backoffFactor: 2, crashLoopCount: 4, crashLoopWindowMs: 10_000}

/** Feeds `events` to the machine one after another, from `start`. */
function run(events: SupervisorEvent[], start: Machine = INITIAL_MACHINE): Machine {
  return events.reduce((machine, event) => transition(machine, event, policy), start)
}

const exited = (detail = 'child 1 exited'): SupervisorEvent => ({type: 'child-ending', detail})
const ended = (at: number, outcome: 'stable' | 'unstable' = 'unstable'): SupervisorEvent => ({type: 'ended', at, exitedAt: at - 5, outcome: {kind: outcome}, reason: `exit at ${at}`})
/** One child lifetime that ends unstable at `at`, from backoff (or the first start). */
const crash = (at: number): SupervisorEvent[] => [{type: 'backoff-elapsed'}, exited(), ended(at)]

describe('supervisor state machine', {timeout: 10_000}, () => {
  it('starting -> running on the first initialize round trip', () => {
    const machine = run([{type: 'ready', at: 1000}])
    assert.deepEqual(machine.state, {kind: 'running', readyAt: 1000})
    assert.equal(isSettled(machine.state), true)
  })

  it('an unstable exit backs off by the policy, counted from the exit; the backoff state carries the delay it waits', () => {
    const first = run([exited(), ended(1000)])
    assert.deepEqual(first.state, {kind: 'backoff', delayMs: 100, until: 995 + 100, after: 'exit at 1000', stable: false})
    assert.equal(stateDetail(first.state), 'restarting in 100 ms after: exit at 1000')
    const delays = [first, run(crash(2000), first), run([...crash(2000), ...crash(3000)], first)].map((machine) => (machine.state.kind === 'backoff' ? machine.state.delayMs : NaN))
    assert.deepEqual(delays, [100, 200, 350], 'doubling from the minimum, capped at the maximum')
    assert.equal(run([{type: 'backoff-elapsed'}], first).state.kind, 'starting')
  })

  it('the Nth unstable exit in the window is a crash loop, which holds until start or restart', () => {
    const looping = run([exited(), ended(1000), ...crash(2000), ...crash(3000), ...crash(4000)])
    assert.deepEqual(looping.state, {kind: 'crash-loop', why: '4 unstable exits within 10000 ms; last: exit at 4000'})
    assert.equal(run([{type: 'backoff-elapsed'}, {type: 'listener-gone'}], looping), looping, 'nothing else leaves it')
    for (const request of [{type: 'start-requested'}, {type: 'restart-requested', reason: 'codexd restart', withChild: false}] as const) {
      const cleared = run([request], looping)
      assert.deepEqual(cleared, {state: {kind: 'starting'}, streak: 0, failures: []}, `${request.type}: fresh streak and window`)
    }
  })

  it('exits outside the window do not add up to a crash loop', () => {
    const spread = run([exited(), ended(1000), ...crash(12_000), ...crash(23_000), ...crash(34_000)])
    assert.equal(spread.state.kind, 'backoff')
    assert.equal(spread.failures.length, 1)
  })

  it('a stable run resets the backoff to its first step', () => {
    const grown = run([exited(), ended(1000), ...crash(2000), ...crash(3000)])
    const afterStable = run([{type: 'backoff-elapsed'}, {type: 'ready', at: 3100}, exited(), ended(20_000, 'stable')], grown)
    assert.deepEqual(afterStable.state, {kind: 'backoff', delayMs: 100, until: 19_995 + 100, after: 'a stable run', stable: true})
    assert.equal(afterStable.streak, 0)
    const next = run(crash(21_000), afterStable).state
    assert.equal(next.kind === 'backoff' && next.delayMs, 100, 'the next unstable exit starts the streak over')
  })

  it('another listener: with our child running we end it first (stopping), then hold unmanaged until it is gone', () => {
    const owner = {pid: 77, note: 'pid 77 serves the socket'}
    const running = run([{type: 'ready', at: 1000}])
    const stopping = run([{type: 'foreign-listener', at: 2000, owner, withChild: true}], running)
    assert.deepEqual(stopping.state, {kind: 'stopping', cause: {kind: 'foreign', owner: {...owner, since: new Date(2000).toISOString()}}})
    const held = run([exited(), ended(2100)], stopping)
    assert.deepEqual(held.state, {kind: 'unmanaged', owner: {...owner, since: new Date(2000).toISOString()}})
    assert.equal(isSettled(held.state), true)
    assert.equal(run([{type: 'listener-gone'}], held).state.kind, 'starting')
    const hidden = run([{type: 'foreign-listener', at: 5, owner: {pid: null, note: 'someone'}, withChild: false}])
    assert.equal(hidden.state.kind === 'unmanaged' && hidden.state.owner.note, 'someone (its pid is not visible to codexd)')
  })

  it('a duplicate launch found after the exit goes unmanaged without counting a failure', () => {
    const machine = run([exited(), {type: 'ended', at: 50, exitedAt: 40, outcome: {kind: 'duplicate', owner: {pid: 9, note: 'pid 9 serves it'}}, reason: 'duplicate'}])
    assert.equal(machine.state.kind, 'unmanaged')
    assert.deepEqual(machine.failures, [])
  })

  it('restart ends a running child and starts again without backoff', () => {
    const restarting = run([{type: 'ready', at: 1000}, {type: 'restart-requested', reason: 'codexd restart', withChild: true}])
    assert.deepEqual(restarting.state, {kind: 'stopping', cause: {kind: 'restart', reason: 'codexd restart'}})
    assert.deepEqual(run([exited(), ended(2000)], restarting).state, {kind: 'starting'}, 'the exit of a restarted child is not a failure')
    const inBackoff = run([exited(), ended(1000)])
    assert.deepEqual(run([{type: 'restart-requested', reason: 'r', withChild: false}], inBackoff).state, {kind: 'starting'}, 'backoff is cut short')
  })

  it('unresponsive: only a running child enters it; its exit is judged like any other, a restart ends it at once', () => {
    const running = run([{type: 'ready', at: 1000}])
    const wedged = run([{type: 'unresponsive', at: 2000, why: '3 probes in a row failed'}], running)
    assert.deepEqual(wedged.state, {kind: 'unresponsive', since: 2000, why: '3 probes in a row failed'})
    assert.equal(stateDetail(wedged.state), '3 probes in a row failed')
    assert.equal(isSettled(wedged.state), false, 'a waiting start answers once the replacement runs')
    assert.equal(run([{type: 'unresponsive', at: 5, why: 'x'}]), INITIAL_MACHINE, 'a starting child has its own ready timeout')
    assert.equal(run([exited(), ended(20_000, 'stable')], wedged).state.kind, 'backoff')
    assert.deepEqual(run([{type: 'restart-requested', reason: 'codexd restart', withChild: true}], wedged).state, {kind: 'stopping', cause: {kind: 'restart', reason: 'codexd restart'}})
  })

  it('shutdown wins over everything and ends in stopped', () => {
    const running = run([{type: 'ready', at: 1000}])
    const stopping = run([{type: 'shutdown', reason: 'codexd stop', graceMs: 500}], running)
    assert.deepEqual(stopping.state, {kind: 'stopping', cause: {kind: 'shutdown', reason: 'codexd stop', graceMs: 500}})
    for (const event of [exited(), ended(2000), {type: 'start-requested'}, {type: 'restart-requested', reason: 'r', withChild: true}, {type: 'ready', at: 5}] as SupervisorEvent[]) {
      assert.equal(transition(stopping, event, policy), stopping, `${event.type} is ignored while shutting down`)
    }
    const stopped = run([{type: 'shutdown-complete'}], stopping)
    assert.deepEqual(stopped.state, {kind: 'stopped'})
    assert.equal(run([{type: 'start-requested'}], stopped), stopped, 'a stopped supervisor starts nothing')
  })

  it('events that do not apply leave the machine as it is', () => {
    assert.equal(transition(INITIAL_MACHINE, {type: 'backoff-elapsed'}, policy), INITIAL_MACHINE)
    assert.equal(transition(INITIAL_MACHINE, {type: 'listener-gone'}, policy), INITIAL_MACHINE)
    assert.equal(transition(INITIAL_MACHINE, {type: 'start-requested'}, policy), INITIAL_MACHINE)
    assert.equal(transition(INITIAL_MACHINE, {type: 'shutdown-complete'}, policy), INITIAL_MACHINE)
  })
})
