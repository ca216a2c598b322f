import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {tempHome} from '../src/shared/harness/home.js'
import {runCodexd} from '../src/shared/harness/processes.js'

describe('usage errors are one line, name the flag or argument, and exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['stop', '--bogus'], /--bogus/],
    [['logs', '-n', 'abc'], /--lines .*abc/],
    [['app-server', '--lock-timeout', '-5'], /--lock-timeout .*-5/],
    [['status', '--timeout', 'soon'], /--timeout .*soon/],
    [['proxy', '--wait-timeout', 'x'], /--wait-timeout .*x/],
    [['shell-init'], /shell/],
    [['smoke', '--bogus'], /--bogus/],
  ]
  for (const [argv, names] of cases) {
    test(`codexd ${argv.join(' ')}`, async () => {
      const home = tempHome()
      try {
        const result = await runCodexd(argv, home.env)
        assert.equal(result.code, 2)
        assert.equal(result.stdout, '')
        const lines = result.stderr.split('\n').filter(Boolean)
        assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`)
        assert.match(lines[0], /^codexd: /)
        assert.match(lines[0], names)
        assert.match(lines[0], new RegExp(`see codexd ${argv[0]} --help$`))
      } finally {
        home.remove()
      }
    })
  }
})
