// The full soak of docs/reliability.md: CYCLES (default 200) cycles of `codexd start`, kill -9 of
// the app-server child, recovery, `codexd stop` on one home, with the same checks as
// test/reliability-soak.test.ts (which runs a few cycles in the suite). Build first (npm run build).
// Usage: node --import tsx scripts/soak.ts [cycles=200]
import {fdCount} from '../test/support/proc-stats.js'
import {killAllStarted} from '../src/ground/harness/processes.js'
import {assertNoGrowth, soakCycle, summarize, type CycleFigures} from '../test/support/soak.js'
import {supervisedHome} from '../test/support/supervisor-home.js'

const cycles = Number(process.argv[2] ?? 200)
const home = supervisedHome('builtin')
const testFdsAtStart = fdCount(process.pid)
const figures: CycleFigures[] = []
const startedAt = Date.now()
try {
  for (let cycle = 1; cycle <= cycles; cycle++) {
    figures.push(await soakCycle(home, cycle))
    if (cycle % 20 === 0 || cycle === cycles) {
      const last = figures.at(-1)!
      console.log(`cycle ${cycle}: supervisor fds ${last.supervisorFds.before}/${last.supervisorFds.recovered}, test fds ${last.testFds}, supervisor.sqlite ${last.supervisorDbBytes} B (${last.supervisorRows} rows), builtin ${last.builtinDbBytes} B`)
    }
  }
  for (const line of summarize(figures, testFdsAtStart)) console.log(line)
  console.log(`wall time: ${((Date.now() - startedAt) / 1000).toFixed(0)} s`)
  assertNoGrowth(figures, testFdsAtStart)
  console.log('soak: no growth')
} finally {
  await home.cleanup()
  killAllStarted()
}
