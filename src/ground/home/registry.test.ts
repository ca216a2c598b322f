import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {forgetHome, homesRegistryDir, registeredHomes, registerHome} from './registry.js'

describe('the registry of homes codexd list reads', {timeout: 30_000}, () => {
  const user = mkdtempSync(join(tmpdir(), 'codexd-registry-'))
  const env = {HOME: user}
  after(() => rmSync(user, {recursive: true, force: true}))

  it('lives under $XDG_STATE_HOME when it is absolute, else ~/.local/state', () => {
    assert.equal(homesRegistryDir({HOME: '/h', XDG_STATE_HOME: '/s'}), '/s/codexd/homes')
    assert.equal(homesRegistryDir({HOME: '/h', XDG_STATE_HOME: 'relative'}), '/h/.local/state/codexd/homes')
  })

  it('one entry per home however often it registers; no temporary file left behind', () => {
    for (let round = 0; round < 3; round++) for (const home of ['/a', '/b', '/c d']) registerHome(home, assert.fail, env)
    assert.deepEqual(registeredHomes(env).map((entry) => entry.home).sort(), ['/a', '/b', '/c d'])
    assert.deepEqual(readdirSync(homesRegistryDir(env)).filter((name) => !name.endsWith('.json')), [])
  })

  it('a damaged or foreign file is skipped, not fatal; forgetting twice is fine', () => {
    writeFileSync(join(homesRegistryDir(env), 'junk.json'), '{not json')
    writeFileSync(join(homesRegistryDir(env), 'other.json'), JSON.stringify({home: '/a', registeredAt: ''}))
    const entries = registeredHomes(env)
    assert.equal(entries.length, 3)
    const a = entries.find((entry) => entry.home === '/a')!
    forgetHome(a)
    forgetHome(a)
    assert.deepEqual(registeredHomes(env).map((entry) => entry.home).sort(), ['/b', '/c d'])
  })

  it('a registry that cannot be written is a warning naming it, never an exception', () => {
    // A file where the state directory should be: fails for root too (ENOTDIR).
    const blocked = join(user, 'not-a-dir')
    writeFileSync(blocked, '')
    const warnings: string[] = []
    registerHome('/new', (warning) => warnings.push(warning), {HOME: user, XDG_STATE_HOME: blocked})
    assert.equal(warnings.length, 1)
    assert.match(warnings[0], new RegExp(`could not register /new for codexd list in ${blocked}/codexd/homes \\(ENOTDIR\\)`))
  })
})
