import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {buildServiceSpec} from './service-spec.js'

describe('--on-upgrade in the service', {timeout: 10_000}, () => {
  const home = mkdtempSync(join(tmpdir(), 'codexd-spec-home-'))
  after(() => rmSync(home, {recursive: true, force: true}))
  const env = {HOME: home, CODEX_HOME: home, PATH: '/usr/bin:/bin'}

  it('goes into `codexd run` of a plain unit or plist, and only when chosen', () => {
    assert.deepEqual(buildServiceSpec('linux', undefined, env, undefined, 'notify').runArgs, ['--on-upgrade', 'notify'])
    assert.deepEqual(buildServiceSpec('darwin', undefined, {...env, CODEXD_ON_UPGRADE: 'restart-now'}).runArgs, ['--on-upgrade', 'restart-now'])
    assert.deepEqual(buildServiceSpec('linux', undefined, env).runArgs, [])
  })

  it("goes into a template instance's drop-in environment (the template's ExecStart is shared)", () => {
    const spec = buildServiceSpec('linux', undefined, env, home, 'notify')
    assert.deepEqual(spec.runArgs, [])
    assert.deepEqual(spec.environment.find(([name]) => name === 'CODEXD_ON_UPGRADE'), ['CODEXD_ON_UPGRADE', 'notify'])
  })

  it('refuses a $CODEXD_ON_UPGRADE it does not know (usage error)', () => {
    assert.throws(() => buildServiceSpec('linux', undefined, {...env, CODEXD_ON_UPGRADE: 'sometimes'}), (error: CodexdError) => error.exitCode === 2 && /CODEXD_ON_UPGRADE=sometimes/.test(error.message))
  })
})
