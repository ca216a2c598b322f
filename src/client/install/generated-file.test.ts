import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {GENERATED_MARKER, isGeneratedByCodexd, removeGeneratedFile, writeGeneratedFile} from './generated-file.js'

describe('generated files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-gen-'))
  after(() => rmSync(dir, {recursive: true, force: true}))
  const ours = (body: string) => `# ${GENERATED_MARKER}: test\n${body}\n`

  it('creates (with parent directories and the mode), then is idempotent, then updates', () => {
    const path = join(dir, 'a', 'b', 'unit')
    assert.equal(writeGeneratedFile(path, ours('one'), 0o600), 'created')
    assert.equal(statSync(path).mode & 0o777, 0o600)
    const inode = statSync(path).ino
    assert.equal(writeGeneratedFile(path, ours('one'), 0o600), 'unchanged')
    assert.equal(statSync(path).ino, inode, 'an unchanged file is not rewritten')
    assert.equal(writeGeneratedFile(path, ours('two'), 0o600), 'updated')
    assert.equal(readFileSync(path, 'utf8'), ours('two'))
    assert.deepEqual(readdirSync(join(dir, 'a', 'b')), ['unit'], 'no temp file left behind')
  })

  it('refuses to overwrite or remove a file without the marker, and leaves it alone', () => {
    const path = join(dir, 'foreign')
    writeFileSync(path, '[Unit]\nDescription=mine\n')
    assert.throws(() => writeGeneratedFile(path, ours('x')), (error: unknown) => error instanceof CodexdError && error.exitCode === 7 && error.message.includes(path))
    assert.throws(() => removeGeneratedFile(path), (error: unknown) => error instanceof CodexdError && error.message.includes('will not remove'))
    assert.equal(readFileSync(path, 'utf8'), '[Unit]\nDescription=mine\n')
  })

  it('the marker counts only in the header', () => {
    assert.equal(isGeneratedByCodexd(ours('x')), true)
    assert.equal(isGeneratedByCodexd(`${'x'.repeat(600)}\n# ${GENERATED_MARKER}\n`), false)
  })

  it('removes its own file; a missing file is `absent`', () => {
    const path = join(dir, 'mine')
    writeGeneratedFile(path, ours('x'))
    assert.equal(removeGeneratedFile(path), 'removed')
    assert.equal(removeGeneratedFile(path), 'absent')
  })

  it('never writes content that lacks the marker (it could not recognise it later)', () => {
    assert.throws(() => writeGeneratedFile(join(dir, 'unmarked'), 'plain\n'), /lacks the codexd:generated marker/)
  })
})
