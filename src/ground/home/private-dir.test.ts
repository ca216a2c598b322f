import assert from 'node:assert/strict'
import {chmodSync, chownSync, mkdirSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import {tempHome} from '../harness/home.js'
import {CodexdError} from '../errors/codexd-error.js'
import {ensurePrivateDir} from './private-dir.js'

function refusal(dir: string): CodexdError {
  try {
    ensurePrivateDir(dir)
  } catch (error) {
    assert.ok(error instanceof CodexdError)
    assert.equal(error.message.includes('\n'), false)
    assert.ok(error.message.includes(dir), 'the message names the directory')
    return error
  }
  assert.fail(`ensurePrivateDir(${dir}) was expected to refuse`)
}

describe('private socket directories', () => {
  test('are created with mode 0700', () => {
    const home = tempHome()
    try {
      const dir = join(home.home, 'a', 'b')
      ensurePrivateDir(dir)
      assert.equal(statSync(dir).mode & 0o777, 0o700)
    } finally {
      home.remove()
    }
  })

  test('a group- or world-writable directory is refused with the chmod fix, and left as it is', () => {
    const home = tempHome()
    try {
      const dir = join(home.home, 'open')
      mkdirSync(dir)
      chmodSync(dir, 0o777)
      assert.match(refusal(dir).message, /writable by group or others \(mode 777\): run chmod 700/)
      assert.equal(statSync(dir).mode & 0o777, 0o777)
    } finally {
      home.remove()
    }
  })

  test('a symlink in place of the directory is refused', () => {
    const home = tempHome()
    try {
      const real = join(home.home, 'real')
      mkdirSync(real, {mode: 0o700})
      const dir = join(home.home, 'link')
      symlinkSync(real, dir)
      assert.match(refusal(dir).message, /is a symlink/)
    } finally {
      home.remove()
    }
  })

  test('a regular file in place of the directory is refused and kept', () => {
    const home = tempHome()
    try {
      const dir = join(home.home, 'file')
      writeFileSync(dir, 'data')
      assert.match(refusal(dir).message, /not a directory/)
      assert.ok(statSync(dir).isFile())
    } finally {
      home.remove()
    }
  })

  test('a directory owned by another user is refused', {skip: process.getuid?.() !== 0 && 'needs root to chown'}, () => {
    const home = tempHome()
    try {
      const dir = join(home.home, 'foreign')
      mkdirSync(dir, {mode: 0o700})
      chownSync(dir, 65534, 65534)
      assert.match(refusal(dir).message, /owned by uid 65534/)
    } finally {
      home.remove()
    }
  })
})
