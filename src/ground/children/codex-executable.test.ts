import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {executableFingerprint, executableWatchTargets, linkChain} from './codex-executable.js'

describe('the codex executable behind a path', {timeout: 10_000}, () => {
  const root = mkdtempSync(join(tmpdir(), 'codexd-exe-'))
  after(() => rmSync(root, {recursive: true, force: true}))
  /** `<root>/lib/<name>/` as npm installs a package: package.json and bin/codex. */
  const pkg = (name: string, content: string) => {
    mkdirSync(join(root, 'lib', name, 'bin'), {recursive: true})
    writeFileSync(join(root, 'lib', name, 'package.json'), '{}')
    writeFileSync(join(root, 'lib', name, 'bin', 'codex'), content)
  }
  pkg('codex', 'old')
  mkdirSync(join(root, 'bin'))
  const bin = join(root, 'bin', 'codex')
  symlinkSync('../lib/codex/bin/codex', bin)

  it('follows the link chain and watches the link dirs and the dir the package sits in', () => {
    assert.deepEqual(linkChain(bin), [bin, join(root, 'lib', 'codex', 'bin', 'codex')])
    const {dirs, entries} = executableWatchTargets(bin)
    assert.deepEqual(dirs.sort(), [join(root, 'bin'), join(root, 'lib'), join(root, 'lib', 'codex', 'bin')].sort())
    assert.deepEqual([...entries].sort(), [bin, join(root, 'lib', 'codex'), join(root, 'lib', 'codex', 'bin', 'codex')].sort())
  })

  it('changes its fingerprint when npm swaps the package dir, even with a same-sized file', () => {
    const before = executableFingerprint(bin)
    assert.equal(executableFingerprint(bin), before, 'stable while nothing changes')
    pkg('.codex-new', 'new')
    renameSync(join(root, 'lib', 'codex'), join(root, 'lib', '.codex-old'))
    renameSync(join(root, 'lib', '.codex-new'), join(root, 'lib', 'codex'))
    assert.notEqual(executableFingerprint(bin), before)
  })
})
