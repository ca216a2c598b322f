import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {tempHome} from '../../ground/harness/home.js'
import {LAUNCHER_BROKEN_EXIT, launcherScriptPath, readLauncherState, renderLauncherScript, writeLauncherScript} from './ssh-launcher.js'

describe('the ssh launcher script', {timeout: 30_000}, () => {
  const home = tempHome('codexd-launcher-')
  after(() => home.remove())
  // Paths with a quote and a space: the script must pass them to exec as one word each.
  const dir = join(home.home, `it's a dir`)
  mkdirSync(dir)
  const fakeNode = join(dir, 'node')
  writeFileSync(fakeNode, '#!/bin/sh\nfor arg in "$@"; do echo "[$arg]"; done\n')
  chmodSync(fakeNode, 0o755)
  const entry = join(dir, 'run.cjs')
  writeFileSync(entry, '')
  const env = {HOME: home.home, XDG_DATA_HOME: join(home.home, 'data')}

  it('execs the baked-in node with the entry and every argument, each as one word', () => {
    const {path} = writeLauncherScript({node: fakeNode, entry}, env)
    assert.equal(path, join(home.home, 'data', 'codexd', 'bin', 'codexd'))
    const run = spawnSync(path, ['proxy', 'two words', ''], {encoding: 'utf8', env: {}})
    assert.equal(run.status, 0, run.stderr)
    assert.equal(run.stdout, `[${entry}]\n[proxy]\n[two words]\n[]\n`)
  })

  it('reads back the baked-in paths of a launcher written by another node (stale), and a broken one', () => {
    const other = {node: '/bin/sh', entry}
    assert.equal(readLauncherState(other, env).state, 'stale')
    const stale = readLauncherState(other, env)
    assert.ok(stale.state === 'stale' && stale.node === fakeNode && stale.entry === entry, JSON.stringify(stale))
    assert.equal(readLauncherState({node: fakeNode, entry}, env).state, 'current')
    writeFileSync(launcherScriptPath(env), renderLauncherScript({node: join(dir, 'gone'), entry}), {mode: 0o755})
    assert.equal(readLauncherState({node: fakeNode, entry}, env).state, 'broken')
    const run = spawnSync(launcherScriptPath(env), [], {encoding: 'utf8', env: {}})
    assert.equal(run.status, LAUNCHER_BROKEN_EXIT)
  })

  it('$XDG_DATA_HOME only when absolute, else ~/.local/share', () => {
    assert.equal(launcherScriptPath({HOME: '/h', XDG_DATA_HOME: 'relative'}), '/h/.local/share/codexd/bin/codexd')
    assert.equal(launcherScriptPath({HOME: '/h'}), '/h/.local/share/codexd/bin/codexd')
  })
})
