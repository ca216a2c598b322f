// Shows that the storm test can fail: runs the 32-process storm with the startup lock switched
// off (CODEXD_TEST_NO_LOCK=1, a test-only switch) and counts what goes wrong.
// Usage: node --import tsx scripts/storm-without-lock.ts [rounds=10] [--stale]
import {finished, killAllStarted, spawnCodexd, waitFor} from '../src/ground/harness/processes.js'
import {tempHome} from '../src/ground/harness/home.js'
import {launchStorm} from '../test/support/storm.js'

const rounds = Number(process.argv[2] ?? 10)
const stale = process.argv.includes('--stale')
let failed = 0
for (let round = 1; round <= rounds; round++) {
  const home = tempHome()
  try {
    if (stale) {
      const first = spawnCodexd(['app-server', '--listen', 'unix://'], home.env)
      let stderr = ''
      first.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      await waitFor(() => stderr.includes('listening on'))
      first.kill('SIGKILL')
      await finished(first)
    }
    const result = await launchStorm(home, 32, {CODEXD_TEST_NO_LOCK: '1'})
    const broken = result.listeners !== 1 || result.survivors.length !== 1 || result.otherFailures.length > 0 || result.stateErrors.length > 0 || result.integrity !== 'ok' || result.runsRecorded !== 1
    if (broken) failed++
    console.log(`round ${round}: listeners=${result.listeners} survivors=${result.survivors.length} duplicates=${result.duplicateErrors} other=${result.otherFailures.length} stateErrors=${result.stateErrors.length} runs=${result.runsRecorded} integrity=${result.integrity}${broken ? '  <- FAILS the storm test' : ''}`)
    for (const line of [...new Set([...result.stateErrors, ...result.otherFailures.map((f) => f.split('\n')[0])])].slice(0, 3)) console.log(`    ${line.slice(0, 200)}`)
  } finally {
    killAllStarted()
    home.remove()
  }
}
console.log(`${failed}/${rounds} rounds would fail the storm test without the lock (${stale ? 'over a stale socket' : 'fresh home'})`)
