import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {connect, createServer, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {once} from 'node:events'
import {after, describe, it} from 'node:test'
import {waitFor} from '../harness/processes.js'
import {connectedClientCount, listenerCount} from './unix-listeners.js'

describe('connected clients from /proc/net/unix', {timeout: 20_000}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-conn-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('counts the connections accepted on a listening socket, not the listener, and sees them go', async () => {
    const path = join(dir, 'server.sock')
    const accepted: Socket[] = []
    const server = createServer((socket) => accepted.push(socket))
    server.listen(path)
    await once(server, 'listening')
    try {
      assert.equal(listenerCount(path), 1)
      assert.equal(connectedClientCount(path), 0, 'the listener itself is no client')
      const clients = [connect(path), connect(path)]
      await Promise.all(clients.map((client) => once(client, 'connect')))
      assert.equal(connectedClientCount(path), 2)
      clients[0].destroy()
      await waitFor(() => connectedClientCount(path) === 1, {timeoutMs: 5000, what: 'one client left'})
      clients[1].destroy()
      await waitFor(() => connectedClientCount(path) === 0, {timeoutMs: 5000, what: 'no client left'})
    } finally {
      for (const socket of accepted) socket.destroy()
      server.close()
    }
  })
})
