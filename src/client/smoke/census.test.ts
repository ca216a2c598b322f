import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {describe, it} from 'node:test'
import {CENSUS_AVAILABLE, descendants, processesForHome} from './census.js'

describe('process census', {skip: CENSUS_AVAILABLE ? false : 'needs /proc (Linux)'}, () => {
  it('finds the processes whose environment names the home, with their parents, and only those', async () => {
    const home = `/tmp/codexd-census-${process.pid}-${Date.now()}`
    // sh (with the home) forks sleep (inherits it); a second sleep has another home.
    const tree = spawn('sh', ['-c', 'sleep 30 & wait'], {env: {...process.env, CODEX_HOME: home}, stdio: 'ignore'})
    const other = spawn('sleep', ['30'], {env: {...process.env, CODEX_HOME: `${home}-other`}, stdio: 'ignore'})
    try {
      let found = processesForHome(home)
      for (let i = 0; i < 200 && found.length < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25))
        found = processesForHome(home)
      }
      assert.equal(found.length, 2, JSON.stringify(found))
      const shell = found.find((p) => p.pid === tree.pid)!
      const sleeper = found.find((p) => p.pid !== tree.pid)!
      assert.equal(sleeper.ppid, tree.pid)
      assert.deepEqual(sleeper.argv, ['sleep', '30'])
      assert.ok(!found.some((p) => p.pid === other.pid))
      assert.deepEqual([...descendants(found, shell.pid)].sort(), [shell.pid, sleeper.pid].sort())
      assert.deepEqual([...descendants(found, sleeper.pid)], [sleeper.pid])
    } finally {
      tree.kill('SIGKILL')
      other.kill('SIGKILL')
      await Promise.all([once(tree, 'exit'), once(other, 'exit')])
      for (const p of processesForHome(home)) process.kill(p.pid, 'SIGKILL')
    }
  })
})
