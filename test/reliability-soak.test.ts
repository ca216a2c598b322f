import assert from 'node:assert/strict'
import {after, describe, test} from 'node:test'
import {fdCount} from './support/proc-stats.js'
import {runCodexd} from '../src/ground/harness/processes.js'
import {assertNoGrowth, soakCycle, summarize, type CycleFigures} from './support/soak.js'
import {queryDatabase} from './support/sqlite-check.js'
import {supervisedHome} from './support/supervisor-home.js'

/** Cycles run in the suite; `node --import tsx scripts/soak.ts` runs the full 200 (docs/reliability.md). */
const CYCLES = Number(process.env.CODEXD_SOAK_CYCLES ?? 8)

describe(`soak: ${CYCLES} cycles of start, kill -9 of the child, recovery, stop`, {timeout: 600_000}, () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  test('no growth in descriptors, processes, socket files, or database size beyond the history', async (t) => {
    const testFdsAtStart = fdCount(process.pid)
    const figures: CycleFigures[] = []
    for (let cycle = 1; cycle <= CYCLES; cycle++) figures.push(await soakCycle(home, cycle))
    for (const line of summarize(figures, testFdsAtStart)) t.diagnostic(line)
    assertNoGrowth(figures, testFdsAtStart)
  })
})

describe('the event history stays bounded across many short supervisor runs', () => {
  const home = supervisedHome('builtin')
  after(() => home.cleanup())

  test('a database holding more than the 2000 kept events is pruned by the next run, however short', async () => {
    const start = async () => assert.equal((await runCodexd(['start'], home.env)).code, 0)
    const stop = async () => assert.equal((await runCodexd(['stop'], home.env)).code, 0)
    await start()
    await stop()
    // 2500 old events, as years of short runs (each writing a handful) would leave.
    const values = Array.from({length: 2500}, (_, index) => `('2020-01-01T00:00:00.000Z', 'ready', 'old event ${index}')`).join(',')
    await queryDatabase(home.paths.supervisorDb, `INSERT INTO events (at, kind, message) VALUES ${values}`, 'readwrite')
    await start()
    await stop()
    const [{n}] = await queryDatabase<{n: number}>(home.paths.supervisorDb, 'SELECT count(*) AS n FROM events')
    // The newest 2000, plus what this run wrote after its start pruned (it prunes again every 100).
    assert.ok(n <= 2000 + 100, `${n} events kept`)
  })
})
