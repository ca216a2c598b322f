import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {hotCommandOf} from './fast-path.js'

describe('fast path: which command lines it runs', {timeout: 10_000}, () => {
  test('the everyday commands and the version flags', () => {
    for (const argv of [['status'], ['start', '--json'], ['stop', '--grace', '-5'], ['restart'], ['logs', '-n', '3'], ['proxy', '--jsonl'], ['shell-init', 'bash', '--write'], ['version'], ['--version'], ['-v'], ['run', '--daemon'], ['app-server'], ['stop', '--', '--help']]) {
      assert.ok(hotCommandOf(argv), argv.join(' '))
    }
  })

  test('help, the other commands and unknown ones go to oclif', () => {
    for (const argv of [[], ['status', '--help'], ['stop', '-h'], ['--help'], ['-h'], ['service', 'install'], ['smoke'], ['completion', 'bash'], ['help', 'status'], ['stauts'], ['toString'], ['-v', 'status']]) {
      assert.equal(hotCommandOf(argv), undefined, argv.join(' '))
    }
  })
})
