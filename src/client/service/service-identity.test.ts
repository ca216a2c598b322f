import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {serviceIdentity} from './service-identity.js'

describe('service identity', () => {
  const env = {HOME: '/home/u'}
  it('the default home ~/.codex gets the plain names', () => {
    assert.deepEqual(serviceIdentity('/home/u/.codex', env), {unitName: 'codexd.service', label: 'dev.codexd.supervisor'})
  })
  it('other homes get their own stable names, so installing one never rewrites another', () => {
    const a = serviceIdentity('/srv/a', env)
    const b = serviceIdentity('/srv/b', env)
    assert.match(a.unitName, /^codexd-[0-9a-f]{8}\.service$/)
    assert.notEqual(a.unitName, b.unitName)
    assert.deepEqual(serviceIdentity('/srv/a/', env), a)
    assert.equal(a.label, `dev.codexd.supervisor.${a.unitName.slice(7, 15)}`)
  })
})
