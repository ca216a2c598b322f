import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {DEFAULT_ENSURE_TIMEOUT_MS} from '../client/ensure/ensure-supervisor.js'
import {parseHotInvocation} from './fast-path.js'

describe('fast path argument recognition', () => {
  test('plain forms of status and start are answered without oclif', () => {
    assert.deepEqual(parseHotInvocation(['status']), {command: 'status', json: false, timeoutMs: 5000})
    assert.deepEqual(parseHotInvocation(['status', '--json', '--timeout', '200']), {command: 'status', json: true, timeoutMs: 200})
    assert.deepEqual(parseHotInvocation(['start', '--server=builtin', '--json']), {command: 'start', json: true, server: 'builtin', timeoutMs: DEFAULT_ENSURE_TIMEOUT_MS})
  })

  test('shell-init with a known shell prints from the fast path', () => {
    assert.deepEqual(parseHotInvocation(['shell-init', 'zsh']), {command: 'shell-init', shell: 'zsh'})
  })

  test('proxy flags', () => {
    assert.deepEqual(parseHotInvocation(['proxy']), {command: 'proxy', sock: undefined, autostart: false, server: undefined, waitTimeoutMs: 30_000, jsonl: false})
    assert.deepEqual(parseHotInvocation(['proxy', '--sock', '/s', '--jsonl', '--autostart', '--server=builtin', '--wait-timeout', '0']), {command: 'proxy', sock: '/s', autostart: true, server: 'builtin', waitTimeoutMs: 0, jsonl: true})
  })

  test('the daemon form of run (what start spawns); plain run stays with oclif', () => {
    assert.deepEqual(parseHotInvocation(['run', '--daemon', '--server', 'builtin']), {command: 'run', server: 'builtin'})
    assert.equal(parseHotInvocation(['run']), undefined)
    assert.equal(parseHotInvocation(['run', '--server', 'builtin']), undefined)
  })

  test('app-server flags (the built-in child the supervisor spawns)', () => {
    assert.deepEqual(parseHotInvocation(['app-server', '--listen', 'unix://']), {command: 'app-server', listen: 'unix://', lockTimeoutMs: 30_000})
    assert.deepEqual(parseHotInvocation(['app-server']), {command: 'app-server', listen: 'stdio://', lockTimeoutMs: 30_000})
    assert.equal(parseHotInvocation(['app-server', '--listen']), undefined)
  })

  test('anything else goes to oclif (help, unknown flags, bad values, other commands)', () => {
    for (const argv of [['shell-init'], ['shell-init', 'tcsh'], ['shell-init', 'bash', '--write'], ['stop'], ['status', '--help'], ['status', '-h'], ['status', '--bogus'], ['status', '--timeout', 'x'], ['status', '--timeout', '0'], ['status', '--server', 'x'], ['start', '--server'], ['proxy', '--wait-timeout', '-1'], ['proxy', '--jsonl=1'], ['proxy', 'extra'], ['status', '--timeout', '1.5'], ['start', '--json=yes'], []]) {
      assert.equal(parseHotInvocation(argv), undefined, argv.join(' '))
    }
  })
})
