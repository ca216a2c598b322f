import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {closestCommand, editDistance} from './closest.js'

const COMMANDS = ['start', 'status', 'stop', 'restart', 'logs', 'proxy', 'service install', 'service status', 'shell-init', 'version']

describe('closestCommand: "did you mean"', {timeout: 10_000}, () => {
  test('a typo suggests the command', () => {
    assert.equal(closestCommand('stauts', COMMANDS), 'status')
    assert.equal(closestCommand('stp', COMMANDS), 'stop')
    assert.equal(closestCommand('restat', COMMANDS), 'restart')
    assert.equal(closestCommand('servce install', COMMANDS), 'service install')
  })

  test('something unlike any command suggests nothing', () => {
    assert.equal(closestCommand('bogus', COMMANDS), undefined)
    assert.equal(closestCommand('deploy', COMMANDS), undefined)
    assert.equal(closestCommand('service bogus', COMMANDS), undefined)
  })

  test('a swap of two letters is one edit', () => {
    assert.equal(editDistance('stauts', 'status'), 1)
    assert.equal(editDistance('', 'abc'), 3)
    assert.equal(editDistance('kitten', 'sitting'), 3)
  })
})
