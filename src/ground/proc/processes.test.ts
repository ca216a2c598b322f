import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
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

  it('a group whose only member is a zombie is gone: it holds nothing a stop must wait for', {timeout: 30_000}, async () => {
    // sh starts a member in its own session and group (setsid), which exits at once; sh then
    // becomes sleep, which never reaps it, so it stays a zombie, alone in its group.
    const parent = spawn('sh', ['-c', 'setsid sleep 0 & echo $!; exec sleep 30'], {stdio: ['ignore', 'pipe', 'inherit']})
    try {
      const [line] = (await once(parent.stdout!, 'data')) as [Buffer]
      const zombie = Number(line.toString().trim())
      const deadline = Date.now() + 10_000
      // Wait for it to have exited (state Z), then ask.
      while (readState(zombie) !== 'Z' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
      assert.equal(readState(zombie), 'Z')
      assert.equal(processGroupOf(zombie), zombie)
      assert.equal(groupAlive(zombie), false)
    } finally {
      parent.kill('SIGKILL')
    }
  })
})

function readState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
  } catch {
    return undefined
  }
}
