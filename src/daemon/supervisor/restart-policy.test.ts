import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {backoffDelay, CrashLoopDetector, retryOptions, wasStable} from './restart-policy.js'
import {readSupervisorConfig} from './config.js'

describe('backoffDelay', () => {
  it('doubles from the minimum and stops at the cap', () => {
    const config = {backoffMinMs: 100, backoffMaxMs: 1000, backoffFactor: 2}
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, config)), [100, 200, 400, 800, 1000, 1000])
  })

  it('matches the options handed to p-retry', () => {
    const {config} = readSupervisorConfig({CODEXD_BACKOFF_MIN_MS: '70', CODEXD_BACKOFF_MAX_MS: '500', CODEXD_BACKOFF_FACTOR: '3'})
    const options = retryOptions(config)
    assert.deepEqual([options.minTimeout, options.maxTimeout, options.factor, options.randomize], [70, 500, 3, false])
    assert.equal(options.retries, Number.POSITIVE_INFINITY)
    assert.deepEqual([0, 1, 2].map((n) => backoffDelay(n, config)), [70, 210, 500])
  })
})

describe('CrashLoopDetector', () => {
  it('trips on the Kth unstable exit inside the window, not before', () => {
    const detector = new CrashLoopDetector(3, 1000)
    assert.equal(detector.record(0), false)
    assert.equal(detector.record(100), false)
    assert.equal(detector.record(200), true)
  })

  it('forgets exits older than the window', () => {
    const detector = new CrashLoopDetector(3, 1000)
    detector.record(0)
    detector.record(100)
    assert.equal(detector.record(1500), false, 'the first two fell out of the window')
    assert.equal(detector.recent(1500), 1)
  })

  it('reset clears it (start/restart)', () => {
    const detector = new CrashLoopDetector(2, 1000)
    detector.record(0)
    detector.reset()
    assert.equal(detector.record(10), false)
  })
})

describe('wasStable', () => {
  it('needs a ready time and a long enough run after it', () => {
    assert.equal(wasStable(undefined, 10_000, 100), false, 'never answered initialize: never stable, however long it lived')
    assert.equal(wasStable(1000, 1099, 100), false)
    assert.equal(wasStable(1000, 1100, 100), true)
  })
})

describe('readSupervisorConfig', () => {
  it('uses defaults and reports unusable values', () => {
    const {config, warnings} = readSupervisorConfig({CODEXD_STOP_GRACE_MS: 'soon'})
    assert.equal(config.stopGraceMs, 5000)
    assert.match(warnings[0], /CODEXD_STOP_GRACE_MS=soon/)
  })
})
