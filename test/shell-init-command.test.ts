// `codexd shell-init` as a command: what it prints, where --write puts the file, idempotence,
// and that it never overwrites a file it did not write.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, realpathSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {tempHome, type TempHome} from '../src/ground/harness/home.js'
import {findExecutable} from './support/interactive-shell.js'
import {CODEXD_BIN, runCodexd} from '../src/ground/harness/processes.js'

describe('codexd shell-init', () => {
  let home: TempHome
  before(() => (home = tempHome('codexd-si-cmd-')))
  after(() => home.remove())

  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    it(`${shell}: prints a snippet with the absolute node and codexd paths, valid ${shell} syntax`, async (t) => {
      const run = await runCodexd(['shell-init', shell], home.env)
      assert.equal(run.code, 0, run.stderr)
      assert.equal(run.stderr, '')
      assert.ok(run.stdout.includes(`'${process.execPath}'`), 'embeds the node binary')
      assert.ok(run.stdout.includes(`'${realpathSync(CODEXD_BIN)}' start`), 'embeds bin/run.cjs and runs start')
      assert.match(run.stdout, /CODEXD_NO_AUTOSTART/)
      const binary = findExecutable(shell)
      if (!binary) return t.skip(`${shell} is not installed: syntax not checked`)
      const file = join(home.home, `snippet.${shell}`)
      writeFileSync(file, run.stdout)
      const check = spawnSync(binary, ['-n', file], {encoding: 'utf8'})
      assert.equal(check.status, 0, check.stderr)
    })
  }

  it('an unknown shell is a usage error (exit 2) naming the accepted shells', async () => {
    const run = await runCodexd(['shell-init', 'tcsh'], home.env)
    assert.equal(run.code, 2)
    assert.equal(run.stderr, 'codexd: <shell> must be one of bash, zsh, fish, got "tcsh": see codexd shell-init --help\n')
  })

  it('--write puts the printed snippet in $XDG_CONFIG_HOME/codexd/init.SHELL and says what to source', async () => {
    const config = join(home.home, 'xdg')
    const env = {...home.env, XDG_CONFIG_HOME: config}
    const printed = await runCodexd(['shell-init', 'zsh'], env)
    const run = await runCodexd(['shell-init', 'zsh', '--write'], env)
    assert.equal(run.code, 0, run.stderr)
    const path = join(config, 'codexd', 'init.zsh')
    assert.equal(readFileSync(path, 'utf8'), printed.stdout)
    assert.equal(run.stdout, `created: ${path}\nadd this line to ~/.zshrc:\n  if [ -f '${path}' ]; then . '${path}'; fi\n`)
  })

  it('--write without XDG_CONFIG_HOME uses $HOME/.config; a second run leaves the file untouched', async () => {
    const user = join(home.home, 'user')
    mkdirSync(user)
    const env: NodeJS.ProcessEnv = {...home.env, HOME: user}
    delete env.XDG_CONFIG_HOME
    const path = join(user, '.config', 'codexd', 'init.fish')
    assert.equal((await runCodexd(['shell-init', 'fish', '--write'], env)).code, 0)
    const before = statSync(path)
    const again = await runCodexd(['shell-init', 'fish', '--write'], env)
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, new RegExp(`^up to date: ${path}\n`))
    assert.match(again.stdout, /test -f .*; and source /)
    const after = statSync(path)
    assert.equal(after.ino, before.ino, 'not rewritten')
    assert.equal(after.mtimeMs, before.mtimeMs, 'not rewritten')
  })

  it('--write refuses to overwrite a file it did not write (exit 7), and leaves it as it was', async () => {
    const config = join(home.home, 'foreign')
    const path = join(config, 'codexd', 'init.bash')
    mkdirSync(join(config, 'codexd'), {recursive: true})
    writeFileSync(path, 'alias ll="ls -l"\n')
    const run = await runCodexd(['shell-init', 'bash', '--write'], {...home.env, XDG_CONFIG_HOME: config})
    assert.equal(run.code, 7)
    assert.equal(run.stderr, `codexd: ${path} exists and was not written by codexd (no "codexd:generated" header), so codexd will not overwrite it: move it aside and run again\n`)
    assert.equal(readFileSync(path, 'utf8'), 'alias ll="ls -l"\n')
  })
})
