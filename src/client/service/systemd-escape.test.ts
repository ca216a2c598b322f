import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {describe, it} from 'node:test'
import {findOnPath} from '../../ground/children/find-on-path.js'
import {escapeSystemdPath, templateInstanceName} from './systemd-escape.js'

const PATHS = ['/home/me/.codex', '/', '/srv/a-b/c d/ü', '/x/.hidden', '/a\\b', '//a//b/', '/.dot', '/w/100%/$x', '/tab\there', '/q"uote\'s/x:y_z.1']

describe('systemd path escaping (the template instance names a home)', () => {
  it('escapes like systemd: / to -, - and odd bytes to \\xNN, a leading dot escaped, the root is -', () => {
    assert.equal(escapeSystemdPath('/home/me/.codex'), 'home-me-.codex')
    assert.equal(escapeSystemdPath('/'), '-')
    assert.equal(escapeSystemdPath('/srv/a-b/c d/ü'), 'srv-a\\x2db-c\\x20d-\\xc3\\xbc')
    assert.equal(escapeSystemdPath('/.dot'), '\\x2edot')
    assert.equal(escapeSystemdPath('//a//b/'), 'a-b')
  })

  it('matches `systemd-escape --path`, and `--unescape --path` gives the home back', (t) => {
    if (!findOnPath('systemd-escape')) return t.skip('systemd-escape is not installed (Debian package systemd)')
    for (const path of PATHS) {
      const theirs = spawnSync('systemd-escape', ['--path', path], {encoding: 'utf8'})
      assert.equal(theirs.status, 0, theirs.stderr)
      assert.equal(escapeSystemdPath(path), theirs.stdout.trim(), path)
      const back = spawnSync('systemd-escape', ['--unescape', '--path', escapeSystemdPath(path)], {encoding: 'utf8'})
      assert.equal(back.stdout.trim(), path === '/' ? '/' : path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1'), path)
    }
  })

  it('names the instance, and refuses a home whose name systemd could not hold', () => {
    assert.equal(templateInstanceName('/home/me/w'), 'codexd@home-me-w.service')
    assert.throws(() => templateInstanceName(`/${'é'.repeat(40)}`), /over systemd's 255: use a shorter path/)
  })
})
