import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {tempHome, type TempHome} from '../src/ground/harness/home.js'
import {CODEXD_BIN, runCodexd} from '../src/ground/harness/processes.js'

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}).version
const MANIFEST = JSON.parse(readFileSync(new URL('../oclif.manifest.json', import.meta.url), 'utf8')) as {commands: Record<string, {hidden?: boolean}>}
/** Every visible command, as typed ("service install"). */
const COMMANDS = Object.entries(MANIFEST.commands).filter(([, command]) => !command.hidden).map(([id]) => id.replaceAll(':', ' '))

/** Path of an executable on PATH, or undefined. */
function which(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], {encoding: 'utf8'})
  return found.status === 0 ? found.stdout.trim() : undefined
}

describe('CLI conventions', {timeout: 300_000}, () => {
  let home: TempHome
  /** The environment with a `codexd` on PATH (this checkout's bin/run.cjs), as an installed one. */
  let env: NodeJS.ProcessEnv
  before(() => {
    home = tempHome()
    const bin = join(home.home, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'codexd'), `#!/bin/sh\nexec '${process.execPath}' '${CODEXD_BIN}' "$@"\n`)
    chmodSync(join(bin, 'codexd'), 0o755)
    env = {...home.env, PATH: `${bin}:${process.env.PATH}`}
  })
  after(() => home.remove())

  test('the manifest lists the commands (the lists below are not empty)', () => {
    for (const id of ['start', 'status', 'stop', 'restart', 'logs', 'proxy', 'version', 'completion', 'service install']) assert.ok(COMMANDS.includes(id), id)
  })

  test('-h and --help on every command print its help (exit 0)', async () => {
    for (const id of COMMANDS) {
      const words = id.split(' ')
      const long = await runCodexd([...words, '--help'], env)
      const short = await runCodexd([...words, '-h'], env)
      assert.equal(long.code, 0, `${id} --help: ${long.stderr}`)
      assert.match(long.stdout, new RegExp(`USAGE\\n  \\$ codexd ${id}\\b`), id)
      assert.equal(short.code, 0, `${id} -h: ${short.stderr}`)
      assert.equal(short.stdout, long.stdout, `${id}: -h is --help`)
    }
  })

  test('codexd -h and --help list the commands', async () => {
    for (const flag of ['-h', '--help']) {
      const result = await runCodexd([flag], env)
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /COMMANDS[\s\S]*\bstatus\b[\s\S]*\bversion\b/)
    }
  })

  test('version, --version and -v print the version of package.json (both paths for `version`)', async () => {
    for (const [argv, extra] of [[['version'], {}], [['--version'], {}], [['-v'], {}], [['version'], {CODEXD_NO_FAST_PATH: '1'}]] as const) {
      const result = await runCodexd(argv, {...env, ...extra})
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stdout, `${PACKAGE_VERSION}\n`, argv.join(' '))
    }
  })

  test('a typo is one line suggesting the closest command (exit 2); nothing near, no suggestion', async () => {
    for (const [argv, said] of [
      [['stauts'], 'codexd: unknown command "stauts": did you mean status? run codexd --help to see the commands'],
      [['stpo', '--json'], 'codexd: unknown command "stpo": did you mean stop? run codexd --help to see the commands'],
      [['service', 'instal'], 'codexd: unknown command "service instal": did you mean service install? run codexd --help to see the commands'],
      [['deploy'], 'codexd: unknown command "deploy": run codexd --help to see the commands'],
    ] as const) {
      const result = await runCodexd(argv, env)
      assert.equal(result.code, 2, argv.join(' '))
      assert.equal(result.stdout, '')
      assert.equal(result.stderr, `${said}\n`)
    }
  })

  test('bash: the completion script loads and completes commands, flags and choices', (t) => {
    const bash = which('bash')
    if (!bash) return t.skip('bash is not installed')
    const loaded = spawnSync(bash, ['-c', 'source <(codexd completion bash); complete -p codexd'], {env, encoding: 'utf8'})
    assert.equal(loaded.status, 0, loaded.stderr)
    assert.equal(loaded.stderr, '')
    assert.equal(loaded.stdout.trim(), 'complete -o default -F _codexd_complete codexd')
    const complete = (line: string) => {
      const words = line.split(' ')
      const script = `source <(codexd completion bash); COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _codexd_complete; echo "\${COMPREPLY[*]}"`
      const run = spawnSync(bash, ['-c', script], {env, encoding: 'utf8'})
      assert.equal(run.status, 0, run.stderr)
      return run.stdout.trim()
    }
    assert.equal(complete('codexd sta'), 'start status')
    assert.equal(complete('codexd service '), 'install status uninstall')
    assert.equal(complete('codexd stop --'), '--grace --json --help')
    assert.equal(complete('codexd service install --platform '), 'linux darwin')
    assert.equal(complete('codexd shell-init '), 'bash zsh fish')
    assert.equal(complete('codexd logs -n 5 --f'), '--follow')
  })

  test('zsh: the completion script loads and completes', (t) => {
    const zsh = which('zsh')
    if (!zsh) return t.skip('zsh is not installed')
    // compadd is replaced by a function that prints what it was given and the word under the
    // cursor matches (as the real one filters): outside a completion widget, that is how to see
    // what the completion function offers.
    const complete = (line: string) => {
      const words = line.split(' ')
      const script = `autoload -Uz compinit && compinit -u; source <(codexd completion zsh) || exit 9; print -r -- "comps=$_comps[codexd]"; compadd() { shift; print -r -- \${(M)@:#\${words[CURRENT]}*} }; words=(${words.map((word) => `'${word}'`).join(' ')}); CURRENT=${words.length}; _codexd`
      const run = spawnSync(zsh, ['-f', '-c', script], {env, encoding: 'utf8'})
      assert.equal(run.status, 0, run.stderr)
      const [comps, offered] = run.stdout.trim().split('\n')
      assert.equal(comps, 'comps=_codexd')
      return offered
    }
    assert.equal(complete('codexd sta'), 'start status')
    assert.equal(complete('codexd stop --'), '--grace --json --help')
    assert.equal(complete('codexd service install --platform '), 'linux darwin')
  })

  test('fish: the completion script loads and completes', (t) => {
    const fish = which('fish')
    if (!fish) return t.skip('fish is not installed')
    const complete = (line: string) => {
      const run = spawnSync(fish, ['--no-config', '-c', `codexd completion fish | source; complete -C '${line}'`], {env, encoding: 'utf8'})
      assert.equal(run.status, 0, run.stderr)
      assert.equal(run.stderr, '')
      return run.stdout.trim().split('\n').map((entry) => entry.split('\t')[0])
    }
    assert.deepEqual(complete('codexd sta'), ['start', 'status'])
    assert.deepEqual(complete('codexd service '), ['install', 'status', 'uninstall'])
    assert.deepEqual(complete('codexd stop --').sort(), ['--grace', '--help', '--json'])
    assert.deepEqual(complete('codexd service install --platform ').sort(), ['darwin', 'linux'])
    assert.deepEqual(complete('codexd service status --').sort(), ['--help', '--home', '--json', '--platform'])
  })
})
