import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {classifyNode} from './node-version.js'

describe('doctor: Node support status', () => {
  const day = new Date('2026-12-01T12:00:00Z')

  it('22 and 24 are supported; 20 warns once past its end of life (2026-04-30)', () => {
    assert.equal(classifyNode('v22.12.0', day).status, 'ok')
    assert.equal(classifyNode('v24.1.0', day).status, 'ok')
    assert.equal(classifyNode('v20.19.0', new Date('2026-04-30T12:00:00Z')).status, 'ok')
    const twenty = classifyNode('v20.20.2', day)
    assert.equal(twenty.status, 'warn')
    assert.match(twenty.found, /end of life on 2026-04-30/)
    assert.match(twenty.fix ?? '', /Node 22 or 24/)
  })

  it('below the engines minimum (20.19.0) fails; an untested line warns', () => {
    assert.equal(classifyNode('v20.18.3', day).status, 'fail')
    assert.equal(classifyNode('v18.20.0', day).status, 'fail')
    assert.equal(classifyNode('v23.0.0', day).status, 'warn')
    assert.equal(classifyNode('v22.1.0', new Date('2027-05-01T00:00:00Z')).status, 'warn')
  })
})
