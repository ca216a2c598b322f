import assert from 'node:assert/strict'
import {readdirSync, statSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {after, describe, test} from 'node:test'
import {runCodexd} from '../src/ground/harness/processes.js'
import {rssKiB} from './support/proc-stats.js'
import {fixtureCommand, startAndTrack, supervisedHome} from './support/supervisor-home.js'

/** The supervisor's resident memory bound while a child floods it (idle it is about 55 MB). */
const RSS_BOUND_KIB = 160 * 1024
const SPEW_MS = 5000

describe('a child that writes without newlines cannot hurt the supervisor (issue 11.4)', {timeout: 120_000}, () => {
  const home = supervisedHome(fixtureCommand('spew-no-newlines'), {FIXTURE_SPEW_MS: String(SPEW_MS)})
  after(() => home.cleanup())

  test('the supervisor stays under its memory bound and answers status while the child floods its stdout', async () => {
    const report = await startAndTrack(home)
    const supervisor = report.supervisor!.pid
    let peak = 0
    const until = Date.now() + SPEW_MS
    while (Date.now() < until) {
      peak = Math.max(peak, rssKiB(supervisor))
      await sleep(100)
    }
    const status = await runCodexd(['status', '--json'], home.env, {timeout: 10_000})
    assert.equal(status.code, 0, `status answers: ${status.stderr}`)
    peak = Math.max(peak, rssKiB(supervisor))
    const logged = readdirSync(home.paths.codexdDir).filter((name) => name.startsWith('supervisor.log')).reduce((sum, name) => sum + statSync(`${home.paths.codexdDir}/${name}`).size, 0)
    assert.ok(peak < RSS_BOUND_KIB, `supervisor ${supervisor} peaked at ${Math.round(peak / 1024)} MB (bound ${RSS_BOUND_KIB / 1024} MB)`)
    assert.ok(logged > 1024 * 1024, `the flood reached the log (${logged} bytes): the test exercised it`)
  })
})
