import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {ClientState, SERVER_RESTARTED_CODE} from './client-state.js'

const initialize = {id: 1, method: 'initialize', params: {clientInfo: {name: 'ed', version: '1'}}}

describe('ClientState', () => {
  test('tracks requests in flight until answered, keeping 1 and "1" apart', () => {
    const state = new ClientState()
    state.fromClient({id: 1, method: 'a'})
    state.fromClient({id: '1', method: 'b'})
    state.fromClient({method: 'note'})
    assert.equal(state.inFlightCount, 2)
    assert.deepEqual(state.fromServer({id: 1, result: {}}), {kind: 'forward'})
    assert.equal(state.inFlightCount, 1)
    const answers = state.failInFlight('the app-server restarted')
    assert.deepEqual(answers.map((answer) => answer.id), ['1'])
    assert.equal((answers[0] as any).error.code, SERVER_RESTARTED_CODE)
    assert.match((answers[0] as any).error.message, /the app-server restarted; the request b was not answered/)
    assert.equal(state.inFlightCount, 0)
  })

  test('server requests and notifications are forwarded and do not touch the client\'s requests', () => {
    const state = new ClientState()
    state.fromClient({id: 7, method: 'x'})
    assert.deepEqual(state.fromServer({id: 7, method: 'server/ask', params: {}}), {kind: 'forward'})
    assert.deepEqual(state.fromServer({method: 'event'}), {kind: 'forward'})
    assert.equal(state.inFlightCount, 1)
  })

  test('replays only an initialize the server accepted, under a fresh id whose reply is swallowed', () => {
    const state = new ClientState()
    assert.equal(state.replay(), undefined)
    state.fromClient(initialize)
    state.fromServer({id: 1, error: {code: -32600, message: 'no'}})
    assert.equal(state.replay(), undefined, 'a refused initialize is not replayed')

    state.fromClient(initialize)
    state.fromServer({id: 1, result: {userAgent: 'x'}})
    state.fromClient({method: 'initialized'})
    const replay = state.replay()!
    const replayed = JSON.parse(replay.initialize)
    assert.deepEqual({...replayed, id: 1}, initialize)
    assert.notEqual(replayed.id, 1)
    assert.deepEqual(JSON.parse(replay.initialized!), {method: 'initialized'})
    assert.deepEqual(state.fromServer({id: replayed.id, result: {}}), {kind: 'replay-reply', error: undefined})
    assert.deepEqual(state.fromServer({id: replayed.id, result: {}}), {kind: 'forward'}, 'only one reply is swallowed')
    assert.notEqual(JSON.parse(state.replay()!.initialize).id, replayed.id, 'each replay has its own id')
  })

  test('an initialize in flight when the server went away is answered, not replayed', () => {
    const state = new ClientState()
    state.fromClient(initialize)
    assert.deepEqual(state.failInFlight('gone').map((answer) => answer.id), [1])
    state.fromServer({id: 1, result: {}})
    assert.equal(state.replay(), undefined)
  })
})
