import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {backoffDelay, recordUnstableExit, wasStable} from './restart-policy.js'
import {readSupervisorConfig} from './config.js'

describe('backoffDelay', {timeout: 10_000}, () => {
  it('doubles from the minimum and stops at the cap', () => {
    const config = {backoffMinMs: 100, backoffMaxMs: 1000, backoffFactor: 2}
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, config)), [100, 200, 400, 800, 1000, 1000])
  })

  it('follows the configured minimum, factor and cap', () => {
    const {config} = readSupervisorConfig({CODEXD_BACKOFF_MIN_MS: '70', CODEXD_BACKOFF_MAX_MS: '500', CODEXD_BACKOFF_FACTOR: '3'})
    assert.deepEqual([0, 1, 2].map((n) => backoffDelay(n, config)), [70, 210, 500])
  })
})

describe('recordUnstableExit (the crash-loop window)', {timeout: 10_000}, () => {
  const window = {crashLoopCount: 3, crashLoopWindowMs: 1000}
  /** Records exits at `times` one after another; the verdict of each. */
  function verdicts(times: number[], config = window): boolean[] {
    let earlier: number[] = []
    return times.map((at) => {
      const {recent, crashLoop} = recordUnstableExit(earlier, at, config)
      earlier = recent
      return crashLoop
    })
  }

  it('trips on the Kth unstable exit inside the window, not before', () => {
    assert.deepEqual(verdicts([0, 100, 200]), [false, false, true])
  })

  it('forgets exits older than the window', () => {
    assert.deepEqual(verdicts([0, 100, 1500]), [false, false, false], 'the first two fell out of the window')
    assert.deepEqual(recordUnstableExit([0, 100], 1500, window).recent, [1500])
  })

  it('a count of 0 never trips', () => {
    assert.deepEqual(verdicts([0, 1, 2, 3], {crashLoopCount: 0, crashLoopWindowMs: 1000}), [false, false, false, false])
  })
})

describe('wasStable', {timeout: 10_000}, () => {
  it('needs a ready time and a long enough run after it', () => {
    assert.equal(wasStable(undefined, 10_000, 100), false, 'never answered initialize: never stable, however long it lived')
    assert.equal(wasStable(1000, 1099, 100), false)
    assert.equal(wasStable(1000, 1100, 100), true)
  })
})

describe('readSupervisorConfig', {timeout: 10_000}, () => {
  it('uses defaults and reports unusable values', () => {
    const {config, warnings} = readSupervisorConfig({CODEXD_STOP_GRACE_MS: 'soon'})
    assert.equal(config.stopGraceMs, 5000)
    assert.match(warnings[0], /CODEXD_STOP_GRACE_MS=soon/)
  })
})
