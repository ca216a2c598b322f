import assert from 'node:assert/strict'
import {mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync, lstatSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import {tempHome} from '../harness/home.js'
import {makeStaleSocket} from '../harness/stale-socket.js'
import {CodexdError} from '../errors/codexd-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {planSocketEndpoint} from '../home/socket-path.js'
import {prepareSocketPath} from './prepare-socket.js'

function listen(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(path, () => resolve(server))
  })
}


async function rejection(promise: Promise<unknown>): Promise<CodexdError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  assert.ok(error instanceof CodexdError, `expected a CodexdError, got ${String(error)}`)
  return error
}

describe('preparing the control socket path as codex does', () => {
  test('an absent path is free', async () => {
    const home = tempHome()
    try {
      const socket = join(home.home, 'free.sock')
      assert.equal(await prepareSocketPath(planSocketEndpoint(socket)), 'free')
    } finally {
      home.remove()
    }
  })

  test('a live listener is a duplicate launch, with codex\'s message; the socket is kept', async () => {
    const home = tempHome()
    const socket = join(home.home, 'live.sock')
    const server = await listen(socket)
    try {
      const error = await rejection(prepareSocketPath(planSocketEndpoint(socket)))
      assert.equal(error.message, `app-server control socket is already in use at ${socket}`)
      assert.equal(error.exitCode, ExitCode.AlreadyInUse)
      assert.ok(lstatSync(socket).isSocket())
    } finally {
      server.close()
      home.remove()
    }
  })

  test('a stale socket (nobody accepts) is removed', async () => {
    const home = tempHome()
    try {
      const socket = join(home.home, 'stale.sock')
      makeStaleSocket(socket)
      assert.ok(lstatSync(socket).isSocket(), 'precondition: the stale socket file exists')
      assert.equal(await prepareSocketPath(planSocketEndpoint(socket)), 'removed-stale')
      assert.equal(existsSync(socket), false)
    } finally {
      home.remove()
    }
  })

  test('a regular file is an error with codex\'s message and is never deleted', async () => {
    const home = tempHome()
    try {
      const socket = join(home.home, 'file.sock')
      writeFileSync(socket, 'user data')
      const error = await rejection(prepareSocketPath(planSocketEndpoint(socket)))
      assert.equal(error.message, `app-server control socket path exists and is not a socket: ${socket}`)
      assert.equal(error.exitCode, ExitCode.BadPath)
      assert.equal(readFileSync(socket, 'utf8'), 'user data')
    } finally {
      home.remove()
    }
  })

  test('a directory is an error and is never deleted', async () => {
    const home = tempHome()
    try {
      const socket = join(home.home, 'dir.sock')
      mkdirSync(socket)
      writeFileSync(join(socket, 'keep'), 'x')
      const error = await rejection(prepareSocketPath(planSocketEndpoint(socket)))
      assert.match(error.message, /exists and is not a socket/)
      assert.ok(existsSync(join(socket, 'keep')))
    } finally {
      home.remove()
    }
  })

  test('a symlink to a user file is an error; neither the link nor the file is deleted', async () => {
    const home = tempHome()
    try {
      const target = join(home.home, 'precious.txt')
      writeFileSync(target, 'keep me')
      const socket = join(home.home, 'link.sock')
      symlinkSync(target, socket)
      await rejection(prepareSocketPath(planSocketEndpoint(socket)))
      assert.ok(lstatSync(socket).isSymbolicLink())
      assert.equal(readFileSync(target, 'utf8'), 'keep me')
    } finally {
      home.remove()
    }
  })

  test('a symlink to a stale socket (what codex 0.169 leaves after kill -9) is removed with its target', async () => {
    const home = tempHome()
    try {
      const target = join(home.home, 'real.sock')
      makeStaleSocket(target)
      const socket = join(home.home, 'link.sock')
      symlinkSync(target, socket)
      assert.equal(await prepareSocketPath(planSocketEndpoint(socket)), 'removed-stale')
      assert.equal(existsSync(socket) || lstatExists(socket), false)
      assert.equal(lstatExists(target), false)
    } finally {
      home.remove()
    }
  })

  test('a dangling symlink of ours is removed', async () => {
    const home = tempHome()
    try {
      const socket = join(home.home, 'dangling.sock')
      symlinkSync(join(home.home, 'gone.sock'), socket)
      assert.equal(await prepareSocketPath(planSocketEndpoint(socket)), 'removed-stale')
      assert.equal(lstatExists(socket), false)
    } finally {
      home.remove()
    }
  })
})

function lstatExists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}
