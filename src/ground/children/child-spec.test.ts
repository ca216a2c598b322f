import assert from 'node:assert/strict'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {CodexdError} from '../errors/codexd-error.js'
import {resolveChildSpec, serverChoice} from './child-spec.js'
import {compareVersions, isLockAwareCodex, parseCodexVersion} from './codex-version.js'

describe('codex versions', () => {
  it('parses `codex --version` output', () => {
    assert.equal(parseCodexVersion('codex-cli 0.169.0\n'), '0.169.0')
    assert.equal(parseCodexVersion('codex-cli 0.133.0-alpha.2'), '0.133.0-alpha.2')
    assert.equal(parseCodexVersion('codex'), undefined)
  })

  it('is lock-aware from 0.133.0 on (a pre-release of 0.133.0 is not)', () => {
    assert.equal(isLockAwareCodex('0.132.0'), false)
    assert.equal(isLockAwareCodex('0.133.0-alpha.1'), false)
    assert.equal(isLockAwareCodex('0.133.0'), true)
    assert.equal(isLockAwareCodex('0.169.0'), true)
    assert.equal(isLockAwareCodex('1.0.0'), true)
    assert.equal(compareVersions('0.99.0', '0.133.0'), -1, 'numeric, not lexical')
  })
})

describe('resolveChildSpec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-spec-'))
  after(() => rmSync(dir, {recursive: true, force: true}))
  /** A stand-in `codex` that prints `codex-cli VERSION` like the real one. */
  const fakeCodex = (version: string) => {
    mkdirSync(join(dir, version), {recursive: true})
    const bin = join(dir, version, 'codex')
    writeFileSync(bin, `#!/bin/sh\necho "codex-cli ${version}"\n`)
    chmodSync(bin, 0o755)
    return bin
  }

  it('auto is the built-in when no codex is on PATH', async () => {
    const spec = await resolveChildSpec('auto', {PATH: dir})
    assert.equal(spec.kind, 'builtin')
    assert.equal(spec.lockAware, true)
    assert.deepEqual(spec.args.slice(1), ['app-server', '--listen', 'unix://'])
  })

  it('auto is codex when it is on PATH; its version decides lock-awareness', async () => {
    const bin = fakeCodex('0.132.0')
    const old = await resolveChildSpec('auto', {PATH: join(dir, '0.132.0')})
    assert.deepEqual([old.kind, old.file, old.version, old.lockAware], ['codex', bin, '0.132.0', false])
    fakeCodex('0.169.0')
    const fixed = await resolveChildSpec('codex', {PATH: join(dir, '0.169.0')})
    assert.deepEqual([fixed.version, fixed.lockAware], ['0.169.0', true])
  })

  it('codex without codex is an error that says what to do', async () => {
    await assert.rejects(resolveChildSpec('codex', {PATH: dir}), (error: CodexdError) => error.code === 'codex-missing' && /--server builtin/.test(error.message))
  })

  it('anything else is a lock-unaware command run by /bin/sh with exec', async () => {
    const spec = await resolveChildSpec('my-server --flag', {PATH: dir})
    assert.deepEqual([spec.kind, spec.file, spec.args, spec.lockAware, spec.version], ['command', '/bin/sh', ['-c', 'exec my-server --flag'], false, null])
  })

  it('--server beats CODEXD_SERVER, which beats auto', () => {
    assert.equal(serverChoice('builtin', {CODEXD_SERVER: 'codex'}), 'builtin')
    assert.equal(serverChoice(undefined, {CODEXD_SERVER: 'codex'}), 'codex')
    assert.equal(serverChoice(undefined, {}), 'auto')
    assert.throws(() => serverChoice(' ', {}), /empty/)
  })
})

