import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {runCommand, waitFor} from '../../ground/harness/processes.js'
import {watchExecutable} from './executable-watcher.js'

describe('watching the codex executable', {timeout: 20_000}, () => {
  const root = mkdtempSync(join(tmpdir(), 'codexd-watch-exe-'))
  after(() => rmSync(root, {recursive: true, force: true}))
  mkdirSync(join(root, 'bin'))
  writeFileSync(join(root, 'codex-1'), 'one')
  writeFileSync(join(root, 'codex-2'), 'two')
  const bin = join(root, 'bin', 'codex')
  symlinkSync(join(root, 'codex-1'), bin)
  const swap = (target: string) => {
    symlinkSync(target, `${bin}.next`)
    renameSync(`${bin}.next`, bin)
  }

  it('reports a swapped link once after the quiet time; a change it could not read yet is looked at again at the next tick', async () => {
    const answers = [false, true]
    let calls = 0
    const errors: string[] = []
    const watcher = await watchExecutable(bin, 50, async () => answers[calls++] ?? true, (message) => errors.push(message))
    try {
      swap(join(root, 'codex-2'))
      await waitFor(() => calls === 1, {timeoutMs: 5000, what: 'the first look at the change'})
      watcher.tick() // the change is still unread: another look after the quiet time
      await waitFor(() => calls === 2, {timeoutMs: 5000, what: 'the second look'})
      watcher.tick() // read now: nothing more to look at
      await new Promise((resolve) => setTimeout(resolve, 300))
      assert.equal(calls, 2)
      assert.deepEqual(errors, [])
    } finally {
      await watcher.close()
    }
  })

  // Its CPU cost is measured by hand, not asserted here (docs/codex-daemon.md, "What is watched").
  it('a burst of 20k unrelated file events in the watched directory: no look, and the next swap is still seen', {timeout: 120_000}, async () => {
    let calls = 0
    const watcher = await watchExecutable(bin, 50, async () => (calls++, true), () => {})
    try {
      const churn = await runCommand('sh', ['-c', 'seq 1 10000 | xargs touch && seq 1 10000 | xargs rm'], {cwd: join(root, 'bin'), timeoutMs: 100_000})
      assert.equal(churn.code, 0, churn.stderr)
      await new Promise((resolve) => setTimeout(resolve, 500)) // the events still queued
      assert.equal(calls, 0, 'no unrelated file is looked at')
      swap(join(root, 'codex-1'))
      await waitFor(() => calls === 1, {timeoutMs: 5000, what: 'the swap after the burst'})
    } finally {
      await watcher.close()
    }
  })
})
