import {after, describe, test} from 'node:test'
import {fdCount} from './support/proc-stats.js'
import {assertNoGrowth, soakCycle, summarize, type CycleFigures} from './support/soak.js'
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
