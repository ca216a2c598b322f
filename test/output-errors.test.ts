import assert from 'node:assert/strict'
import {closeSync, openSync} from 'node:fs'
import {after, describe, it} from 'node:test'
import {tempHome} from '../src/ground/harness/home.js'
import {finished, spawnCodexd} from '../src/ground/harness/processes.js'

/** Runs `codexd ARGS` with its standard output on /dev/full (every write fails with ENOSPC). */
async function onFullDisk(args: string[], env: NodeJS.ProcessEnv) {
  const full = openSync('/dev/full', 'w')
  try {
    return await finished(spawnCodexd(args, env, {stdio: ['ignore', full, 'pipe']}))
  } finally {
    closeSync(full)
  }
}

describe('output that cannot be written is one line and exit 13, not a stack trace', {timeout: 120_000}, () => {
  const home = tempHome()
  after(() => home.remove())

  // The fast path (status, logs, version) and oclif (list, doctor) alike.
  for (const args of [['status', '--json'], ['logs'], ['version'], ['list', '--json'], ['doctor', '--json']]) {
    it(`codexd ${args.join(' ')} > /dev/full`, async () => {
      const result = await onFullDisk(args, home.env)
      assert.equal(result.code, 13, result.stderr)
      assert.equal(result.stderr, 'codexd: cannot write the output (ENOSPC: no space left on device): free space on that filesystem, or send the output elsewhere\n')
    })
  }

  it('a reader that went away (EPIPE) ends quietly with the exit code the command chose', async () => {
    const child = spawnCodexd(['status', '--json'], home.env, {stdio: ['ignore', 'pipe', 'pipe']})
    child.stdout!.destroy() // the reader is gone before codexd writes
    const result = await finished(child)
    assert.equal(result.code, 3, result.stderr) // not running: status's own answer
    assert.equal(result.stderr, '')
  })
})
