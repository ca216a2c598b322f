import assert from 'node:assert/strict'
import {appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'
import {followLog} from './log-follow.js'

describe('followLog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-follow-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  /** Resolves once `out()` contains `text`, polling (the follower polls every 20 ms here). */
  async function until(out: () => string, text: string): Promise<void> {
    for (let i = 0; i < 500 && !out().includes(text); i++) await sleep(10)
    assert.ok(out().includes(text), `never saw ${JSON.stringify(text)} in ${JSON.stringify(out())}`)
  }

  it('reads what was appended right before a rotation from the renamed file, then the new file from its start', async () => {
    const log = join(dir, 'supervisor.log')
    writeFileSync(log, 'old line\n')
    let out = ''
    const stop = new AbortController()
    const following = followLog(log, (text) => (out += text), stop.signal, 20)
    appendFileSync(log, 'one\n')
    await until(() => out, 'one\n')
    // Between two polls (this block is synchronous): a last line, the rotation, the new file.
    appendFileSync(log, 'two, just before the rotation\n')
    renameSync(log, `${log}.1`)
    writeFileSync(log, 'three, in the new file\n')
    await until(() => out, 'three')
    appendFileSync(log, 'four\n')
    await until(() => out, 'four\n')
    stop.abort()
    await following
    assert.equal(out, 'one\ntwo, just before the rotation\nthree, in the new file\nfour\n')
  })

  it('waits for a log that does not exist yet, and reads it from its start', async () => {
    const log = join(dir, 'later.log')
    let out = ''
    const stop = new AbortController()
    const following = followLog(log, (text) => (out += text), stop.signal, 20)
    await sleep(50)
    writeFileSync(log, 'first\n')
    await until(() => out, 'first\n')
    stop.abort()
    await following
    assert.equal(out, 'first\n')
  })
})
