import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {describe, test} from 'node:test'
import {tempHome} from '../src/ground/harness/home.js'
import {runCodexd} from '../src/ground/harness/processes.js'

/**
 * Both paths parse with the command's flag table (src/cli/flags/): the fast path for the
 * everyday commands, oclif (CODEXD_NO_FAST_PATH=1) for the rest and to compare. Each bad command
 * line is the same one line on both, exit 2, and nothing is created.
 */
describe('usage errors are one line, name the flag or argument and the value, and exit 2', {timeout: 120_000}, () => {
  const cases: [string[], RegExp, NodeJS.ProcessEnv?][] = [
    [['stop', '--bogus'], /unknown flag --bogus/],
    [['stop', '--grace', '-5'], /--grace must be a whole number >= 0, got "-5"/],
    [['restart', '--grace=-5'], /--grace must be a whole number >= 0, got "-5"/],
    [['stop'], /CODEXD_STOP_GRACE_MS must be a whole number >= 0, got "-5" \(it sets --grace\)/, {CODEXD_STOP_GRACE_MS: '-5'}],
    [['stop', '--grace'], /--grace needs a value/],
    [['logs', '-n', 'abc'], /--lines must be .*"abc"/],
    [['app-server', '--lock-timeout', '-5'], /--lock-timeout .*"-5"/],
    [['status', '--timeout', 'soon'], /--timeout .*"soon"/],
    [['status', '--json=yes'], /--json takes no value, got "yes"/],
    [['proxy', '--wait-timeout', 'x'], /--wait-timeout .*"x"/],
    [['shell-init'], /missing argument <shell>/],
    [['shell-init', 'bash', 'zsh'], /unexpected argument "zsh"/],
    [['smoke', '--bogus'], /unknown flag --bogus/],
    [['service', 'install', '--platform', 'win'], /--platform must be one of linux, darwin, got "win"/],
    [['completion', 'tcsh'], /<shell> must be one of bash, zsh, fish, got "tcsh"/],
  ]
  for (const [argv, names, extraEnv] of cases) {
    test(`codexd ${argv.join(' ')}${extraEnv ? ` with ${Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`, async () => {
      const home = tempHome()
      try {
        const lines: string[] = []
        for (const path of [{}, {CODEXD_NO_FAST_PATH: '1'}]) {
          const result = await runCodexd(argv, {...home.env, ...extraEnv, ...path})
          assert.equal(result.code, 2, result.stderr)
          assert.equal(result.stdout, '')
          const stderr = result.stderr.split('\n').filter(Boolean)
          assert.equal(stderr.length, 1, `one line, got:\n${result.stderr}`)
          lines.push(stderr[0])
        }
        assert.equal(lines[0], lines[1], 'the fast path and oclif say the same')
        assert.match(lines[0], /^codexd: /)
        assert.match(lines[0], names)
        const id = argv[0] === 'service' ? argv.slice(0, 2).join(' ') : argv[0]
        assert.match(lines[0], new RegExp(`: see codexd ${id} --help$`))
        assert.deepEqual(readdirSync(home.home), [], 'nothing created in CODEX_HOME')
      } finally {
        home.remove()
      }
    })
  }
})
