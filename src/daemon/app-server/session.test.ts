import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {parseListenUrl} from './listen-url.js'
import type {ServerContext} from './methods.js'
import {BUILTIN_USER_AGENT, Session} from './session.js'

const context: ServerContext = {codexHome: '/h', socketPath: '/h/s.sock', stateDb: '/h/db', schemaVersion: 1, startedAt: Date.now(), connectionCount: () => 1}
const init = JSON.stringify({id: 1, method: 'initialize', params: {clientInfo: {name: 'c', title: 'C', version: '1'}}})

describe('built-in app-server protocol', () => {
  test('requests before initialize get -32600 Not initialized', () => {
    const session = new Session(context)
    assert.deepEqual(session.handle('{"id":7,"method":"codexd/status"}'), {id: 7, error: {code: -32600, message: 'Not initialized'}})
  })

  test('initialize answers userAgent (never codex), codexHome and platform; a second one is refused', () => {
    const session = new Session(context)
    const reply = session.handle(init) as {id: number; result: Record<string, string>}
    assert.equal(reply.id, 1)
    assert.equal(reply.result.userAgent, BUILTIN_USER_AGENT)
    assert.match(reply.result.userAgent, /^codexd-builtin\//)
    assert.equal(reply.result.codexHome, '/h')
    assert.equal(reply.result.platformFamily, 'unix')
    assert.deepEqual(session.handle(init.replace('"id":1', '"id":2')), {id: 2, error: {code: -32600, message: 'Already initialized'}})
  })

  test('after initialize: the notification gets no answer, echo and status answer, unknown methods -32601', () => {
    const session = new Session(context)
    session.handle(init)
    assert.equal(session.handle('{"method":"initialized"}'), undefined)
    assert.deepEqual(session.handle('{"id":"e","method":"codexd/echo","params":{"x":[1,2]}}'), {id: 'e', result: {x: [1, 2]}})
    const status = session.handle('{"id":3,"method":"codexd/status"}') as {result: {server: string; pid: number}}
    assert.equal(status.result.server, 'codexd-builtin')
    assert.equal(status.result.pid, process.pid)
    assert.deepEqual(session.handle('{"id":4,"method":"thread/list"}'), {id: 4, error: {code: -32601, message: 'Method not found: thread/list'}})
  })

  test('malformed input gets parse and invalid-request errors', () => {
    const session = new Session(context)
    assert.deepEqual(session.handle('{"id":1,'), {id: null, error: {code: -32700, message: 'Parse error'}})
    assert.equal((session.handle('[1,2]') as {error: {code: number}}).error.code, -32600)
    assert.equal((session.handle('{"id":{},"method":"x"}') as {error: {code: number}}).error.code, -32600)
    assert.equal((session.handle('{"id":1,"method":"initialize","params":{}}') as {error: {code: number}}).error.code, -32602)
  })
})

describe('--listen URLs', () => {
  test('accepts stdio://, unix:// and unix://PATH', () => {
    assert.deepEqual(parseListenUrl('stdio://'), {kind: 'stdio'})
    assert.deepEqual(parseListenUrl('unix://'), {kind: 'unix', path: undefined})
    assert.deepEqual(parseListenUrl('unix:///tmp/a.sock'), {kind: 'unix', path: '/tmp/a.sock'})
    assert.equal(parseListenUrl('unix://rel.sock').kind, 'unix')
  })

  test('rejects anything else with a usage error naming the value and the accepted forms', () => {
    for (const bad of ['ws://127.0.0.1:4000', 'unix:/tmp/x', '', 'tcp://x']) {
      assert.throws(() => parseListenUrl(bad), (error: Error & {exitCode?: number}) => error.exitCode === 2 && error.message.includes(`'${bad}'`) && error.message.includes('stdio://, unix:// or unix://PATH'))
    }
  })
})
