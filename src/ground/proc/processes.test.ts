import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {terminateGroup} from './terminate-group.js'
import {groupAlive, isAlive, listenerPids, processGroupOf, startTicks} from './processes.js'

describe('/proc readers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-proc-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('finds the pid listening on a unix socket path, and nobody for an unused path', async () => {
    const path = join(dir, 'l.sock')
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(path, resolve))
    try {
      assert.deepEqual(listenerPids(path), [process.pid])
      assert.deepEqual(listenerPids(join(dir, 'none.sock')), [])
    } finally {
      server.close()
    }
  })

  it('reads process groups and start times; a detached child leads its own group', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {detached: true, stdio: 'ignore'})
    await once(child, 'spawn')
    try {
      assert.equal(processGroupOf(child.pid!), child.pid)
      assert.notEqual(processGroupOf(process.pid), child.pid)
      assert.match(startTicks(child.pid!) ?? '', /^\d+$/)
      assert.ok(groupAlive(child.pid!))
      const step = await terminateGroup(child.pid!, 2000, () => child.exitCode !== null || child.signalCode !== null)
      assert.equal(step, 'sigterm')
      assert.equal(isAlive(child.pid!), false)
      assert.equal(groupAlive(child.pid!), false)
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
  })
})
