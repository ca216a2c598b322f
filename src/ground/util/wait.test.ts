import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {QUICK_POLL, pollUntil} from './wait.js'

describe('pollUntil', () => {
  it('with QUICK_POLL checks often at first, then rarely: a 600 ms wait is not 120 checks', {timeout: 10_000}, async () => {
    let checks = 0
    const met = await pollUntil(() => ++checks < 0, 600, QUICK_POLL)
    assert.equal(met, false)
    // 5 ms for 100 ms (at most ~20 checks), then 50 ms (~10 more); late timers only mean fewer.
    assert.ok(checks <= 40, `${checks} checks in 600 ms`)
    assert.ok(checks >= 2)
  })

  it('resolves true as soon as the check holds, false at the deadline', {timeout: 10_000}, async () => {
    let checks = 0
    assert.equal(await pollUntil(() => ++checks >= 3, 5000, QUICK_POLL), true)
    assert.equal(checks, 3)
    assert.equal(await pollUntil(() => false, 30, 10), false)
  })
})
