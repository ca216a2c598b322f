import assert from 'node:assert/strict'
import {mkdirSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import {tempHome} from '../harness/home.js'
import {connectPathFor, MAX_SOCKET_PATH_BYTES, planSocketEndpoint, shortSocketDir, socketPathFits} from './socket-path.js'

describe('unix socket path length', () => {
  test('counts bytes, not characters', () => {
    const ascii = `/${'a'.repeat(MAX_SOCKET_PATH_BYTES - 1)}`
    assert.equal(socketPathFits(ascii), true)
    assert.equal(socketPathFits(`${ascii}b`), false)
    // Each "é" is two bytes in UTF-8: half as many characters already overflow.
    const accented = `/${'é'.repeat(Math.ceil(MAX_SOCKET_PATH_BYTES / 2))}`
    assert.ok(accented.length <= MAX_SOCKET_PATH_BYTES)
    assert.equal(socketPathFits(accented), false)
  })

  test('a short canonical path is bound as is', () => {
    const plan = planSocketEndpoint('/tmp/x/app-server-control.sock')
    assert.deepEqual(plan, {canonical: '/tmp/x/app-server-control.sock', bindPath: '/tmp/x/app-server-control.sock', linked: false})
  })

  test('a long canonical path is bound at a short private path, stable per canonical path', () => {
    const long = `/tmp/${'d'.repeat(120)}/app-server-control.sock`
    const plan = planSocketEndpoint(long, {})
    assert.equal(plan.linked, true)
    assert.ok(socketPathFits(plan.bindPath))
    assert.ok(plan.bindPath.startsWith(`${shortSocketDir({})}/`))
    assert.equal(planSocketEndpoint(long, {}).bindPath, plan.bindPath)
    assert.notEqual(planSocketEndpoint(`${long}2`, {}).bindPath, plan.bindPath)
  })

  test('XDG_RUNTIME_DIR is preferred for the short directory', () => {
    assert.equal(shortSocketDir({XDG_RUNTIME_DIR: '/run/user/1000'}), '/run/user/1000/codexd')
  })

  test('connecting to a long canonical path follows its symlink, never the truncated path', () => {
    const home = tempHome()
    try {
      const long = join(home.home, 'x'.repeat(110), 'app.sock')
      assert.equal(connectPathFor(long, {}), planSocketEndpoint(long, {}).bindPath, 'no link yet: the planned short path')
      const deep = join(home.home, 'y'.repeat(110))
      const other = join(home.home, 'target.sock')
      // A link made by someone else's naming scheme (codex 0.169 uses /tmp/codex-daemon-<uid>/<hash>).
      mkdirSync(deep)
      symlinkSync(other, join(deep, 'app.sock'))
      assert.equal(connectPathFor(join(deep, 'app.sock'), {}), other)
    } finally {
      home.remove()
    }
  })
})
