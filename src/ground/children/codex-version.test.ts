import assert from 'node:assert/strict'
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {trackPid, waitFor} from '../harness/processes.js'
import {isAlive} from '../proc/processes.js'
import {readCodexVersion} from './codex-version.js'

describe('reading codex --version', {timeout: 30_000}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-version-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('an abort kills a hung --version and its children (its whole process group) and rejects', async () => {
    const pidFile = join(dir, 'hung.pids')
    const bin = join(dir, 'hangs')
    writeFileSync(bin, `#!/bin/sh\nsleep 600 &\necho $$ $! > ${pidFile}.tmp\nmv ${pidFile}.tmp ${pidFile}\nwait\n`)
    chmodSync(bin, 0o755)
    const exitHooks = process.listenerCount('exit')
    const abort = new AbortController()
    const reading = readCodexVersion(bin, 60_000, abort.signal)
    const pids = await waitFor(() => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim().split(' ').map(Number) : undefined), {timeoutMs: 10_000, what: 'the hung --version to start'})
    for (const pid of pids) trackPid(pid)
    assert.equal(process.listenerCount('exit'), exitHooks + 1, 'while it runs, an exit of this process kills it')
    abort.abort()
    await assert.rejects(reading, /cannot read the version of .*was cancelled/)
    await waitFor(() => pids.every((pid) => !isAlive(pid)), {timeoutMs: 5000, what: `the processes ${pids.join(' ')} to be killed`})
    await waitFor(() => process.listenerCount('exit') === exitHooks, {timeoutMs: 5000, what: 'its exit hook to be removed'})
  })
})
