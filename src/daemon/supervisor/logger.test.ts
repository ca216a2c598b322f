import assert from 'node:assert/strict'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {RotatingLog} from './logger.js'

describe('RotatingLog', {timeout: 30_000}, () => {
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

  it('a deleted log file is reopened: later lines land in a new file at the path', () => {
    const path = join(dir, 'deleted.log')
    const log = new RotatingLog(path, 1_000_000, 1, undefined, 0)
    log.line('before')
    unlinkSync(path)
    log.line('after')
    log.close()
    assert.match(readFileSync(path, 'utf8'), /after/)
  })

  it('a deleted directory makes rotation fail without throwing; the log resumes once the directory is back', () => {
    const logDir = join(dir, 'codexd')
    mkdirSync(logDir)
    const path = join(logDir, 'supervisor.log')
    const log = new RotatingLog(path, 200, 2, undefined, 0)
    log.line('x'.repeat(150))
    rmSync(logDir, {recursive: true})
    // Past maxBytes: a rotation with no directory to rename in or reopen.
    for (let i = 0; i < 5; i++) assert.doesNotThrow(() => log.line(`lost ${i} ${'y'.repeat(100)}`))
    assert.equal(existsSync(logDir), false, 'the log never re-creates its directory')
    mkdirSync(logDir)
    log.line('resumed')
    log.close()
    assert.match(readFileSync(path, 'utf8'), /resumed/)
  })
})
