import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {RotatingLog} from './logger.js'

describe('RotatingLog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-log-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('rotates past maxBytes, keeps `keep` old files, drops the oldest, loses no line', () => {
    const path = join(dir, 'supervisor.log')
    const log = new RotatingLog(path, 1000, 2)
    for (let i = 0; i < 100; i++) log.line(`line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}`)
    log.close()
    assert.ok(existsSync(`${path}.1`) && existsSync(`${path}.2`))
    assert.equal(existsSync(`${path}.3`), false)
    for (const file of [path, `${path}.1`, `${path}.2`]) assert.ok(statSync(file).size <= 1000, `${file} stays within maxBytes`)
    const kept = [`${path}.2`, `${path}.1`, path].flatMap((file) => readFileSync(file, 'utf8').trim().split('\n'))
    const numbers = kept.map((line) => Number(/line (\d+)/.exec(line)?.[1]))
    assert.equal(numbers.at(-1), 99)
    assert.ok(numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1), 'contiguous: nothing lost inside what is kept')
    assert.equal(statSync(path).mode & 0o777, 0o600)
  })

  it('keep = 0 starts the file over instead of growing', () => {
    const path = join(dir, 'nokeep.log')
    const log = new RotatingLog(path, 500, 0)
    for (let i = 0; i < 50; i++) log.line('y'.repeat(60))
    log.close()
    assert.ok(statSync(path).size <= 500)
    assert.equal(existsSync(`${path}.1`), false)
  })
})
