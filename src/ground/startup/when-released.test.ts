import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {setImmediate as tick} from 'node:timers/promises'
import {planSocketEndpoint} from '../home/socket-path.js'
import {isAlive} from '../proc/processes.js'
import {killAllStarted, spawnTracked} from '../harness/processes.js'
import {prepareSocketPath} from './prepare-socket.js'
import {removeWhenReleased} from './when-released.js'

describe('removeWhenReleased', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-released-'))
  after(() => {
    killAllStarted()
    rmSync(dir, {recursive: true, force: true})
  })

  /** A listener in a child process at `path`; resolves with the child once it listens. */
  async function listener(path: string) {
    const child = spawnTracked(process.execPath, ['-e', `require('net').createServer(() => {}).listen(${JSON.stringify(path)}, () => console.log('up'))`])
    await new Promise((resolve) => child.stdout!.once('data', resolve))
    return child
  }

  it('removes the socket of a listener killed a moment ago, every time (a single probe finds it still answering in about half the kills)', async () => {
    for (let round = 0; round < 20; round++) {
      const path = join(dir, `killed-${round}.sock`)
      const child = await listener(path)
      child.kill('SIGKILL')
      while (isAlive(child.pid!)) await tick()
      await removeWhenReleased(planSocketEndpoint(path))
      assert.equal(existsSync(path), false, `round ${round}: the dead listener's socket file is gone`)
    }
  })

  it('leaves a live listener and its socket alone, after one probe (a process is seen holding it)', async () => {
    const path = join(dir, 'live.sock')
    await listener(path)
    let probes = 0
    const endpoint = planSocketEndpoint(path)
    await removeWhenReleased(endpoint, () => (probes++, prepareSocketPath(endpoint)))
    assert.equal(existsSync(path), true)
    assert.equal(probes, 1)
  })
})
