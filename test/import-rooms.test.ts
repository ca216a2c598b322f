import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {appendFileSync, cpSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {after, describe, it} from 'node:test'

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..')
const CHECK = join(ROOT, 'scripts/import-rooms.mjs')

/** Runs the import-rooms check on `dir` (a tree with src/ and tsconfig.json). */
function check(dir: string) {
  const result = spawnSync(process.execPath, [CHECK, dir], {encoding: 'utf8', timeout: 120_000})
  return {code: result.status, out: `${result.stdout}${result.stderr}`}
}

describe('import rooms (docs/architecture.md): imports only go down', {timeout: 300_000}, () => {
  const copies: string[] = []
  after(() => copies.forEach((dir) => rmSync(dir, {recursive: true, force: true})))

  /** A copy of src/ and tsconfig.json with `line` appended to the module at `file`. */
  function copyWith(file: string, line: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'codexd-rooms-'))
    copies.push(dir)
    cpSync(join(ROOT, 'src'), join(dir, 'src'), {recursive: true})
    cpSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'))
    appendFileSync(join(dir, file), `\n${line}\n`)
    return dir
  }

  it('the tree passes', () => {
    const {code, out} = check(ROOT)
    assert.equal(code, 0, out)
    assert.match(out, /imports only go down/)
  })

  it('fails on an upward import (ground/ -> daemon/)', () => {
    const {code, out} = check(copyWith('src/ground/util/wait.ts', "export {startControlServer} from '../../daemon/control/server.js'"))
    assert.equal(code, 1, out)
    assert.match(out, /ground-imports-upwards: src\/ground\/util\/wait\.ts -> src\/daemon\/control\/server\.ts/)
  })

  it('fails on a client -> daemon import', () => {
    const {code, out} = check(copyWith('src/client/ensure/start-output.ts', "export {Supervisor} from '../../daemon/supervisor/supervisor.js'"))
    assert.equal(code, 1, out)
    assert.match(out, /client-imports-daemon: src\/client\/ensure\/start-output\.ts -> src\/daemon\/supervisor\/supervisor\.ts/)
  })

  it('fails on a cycle between folders of one room', () => {
    // client/proxy already imports client/ensure (autostart); the reverse closes a folder cycle.
    const {code, out} = check(copyWith('src/client/ensure/start-output.ts', "export {runProxy} from '../proxy/run-proxy.js'"))
    assert.equal(code, 1, out)
    assert.match(out, /folder-cycle: .*src\/client\/ensure.*src\/client\/proxy|folder-cycle: .*src\/client\/proxy.*src\/client\/ensure/)
  })
})
