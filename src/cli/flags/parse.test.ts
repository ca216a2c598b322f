import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {parseSetting} from '../../ground/util/setting.js'
import {parseCommandLine} from './parse.js'
import type {CommandTable} from './table.js'
import * as TABLES from './tables.js'

const TABLE = {
  id: 'demo',
  flags: {
    grace: {type: 'integer', min: 0, default: 5000, env: 'DEMO_GRACE', description: 'grace'},
    lines: {type: 'integer', char: 'n', min: 0, default: 50, description: 'lines'},
    server: {type: 'string', description: 'server'},
    platform: {type: 'string', options: ['linux', 'darwin'], description: 'platform'},
    json: {type: 'boolean', description: 'json'},
  },
  args: {shell: {description: 'the shell', options: ['bash', 'zsh'], required: true}},
} as const satisfies CommandTable

/** The one-line usage error parsing `argv` fails with. */
function refusal(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseCommandLine(TABLE, argv, env)
  } catch (error) {
    assert.ok(error instanceof CodexdError)
    assert.equal(error.exitCode, 2)
    assert.doesNotMatch(error.message, /\n/)
    assert.match(error.message, /: see codexd demo --help$/)
    return error.message
  }
  assert.fail(`accepted ${argv.join(' ')}`)
}

describe('parseCommandLine: one parser for the fast path and oclif', {timeout: 10_000}, () => {
  test('defaults, then the variable, then the flag', () => {
    assert.deepEqual(parseCommandLine(TABLE, ['bash'], {}), {flags: {grace: 5000, lines: 50, server: undefined, platform: undefined, json: false}, args: {shell: 'bash'}})
    assert.equal(parseCommandLine(TABLE, ['bash'], {DEMO_GRACE: '10'}).flags.grace, 10)
    assert.equal(parseCommandLine(TABLE, ['bash', '--grace', '7'], {DEMO_GRACE: '10'}).flags.grace, 7)
    assert.equal(parseCommandLine(TABLE, ['bash'], {DEMO_GRACE: ''}).flags.grace, 5000)
  })

  test('spellings: --name value, --name=value, -c value, -cvalue, --, booleans', () => {
    const parsed = parseCommandLine(TABLE, ['--server=a b', '-n', '3', '--json', 'zsh', '--platform', 'darwin'], {})
    assert.deepEqual(parsed.flags, {grace: 5000, lines: 3, server: 'a b', platform: 'darwin', json: true})
    assert.equal(parseCommandLine(TABLE, ['-n7', 'bash'], {}).flags.lines, 7)
    assert.equal(parseCommandLine(TABLE, ['--server', '--json', 'bash'], {}).flags.server, '--json', 'a value is taken as written')
    assert.equal(parseCommandLine(TABLE, ['--', 'bash'], {}).args.shell, 'bash')
    assert.equal(parseCommandLine(TABLE, ['bash', '--server='], {}).flags.server, '', 'what uses a free string checks it')
  })

  test('a negative grace is refused, naming the flag and the value', () => {
    assert.equal(refusal(['bash', '--grace', '-5']), '--grace must be a whole number >= 0, got "-5": see codexd demo --help')
    assert.match(refusal(['bash', '--grace=-5']), /--grace .*"-5"/)
    assert.match(refusal(['bash'], {DEMO_GRACE: '-5'}), /^DEMO_GRACE must be a whole number >= 0, got "-5" \(it sets --grace\)/)
  })

  test('every other refusal names what was wrong', () => {
    assert.match(refusal(['bash', '--bogus']), /^unknown flag --bogus:/)
    assert.match(refusal(['bash', '-x']), /^unknown flag -x:/)
    assert.match(refusal(['bash', '--lines', '1.5']), /^--lines must be a whole number >= 0, got "1.5"/)
    assert.match(refusal(['bash', '--grace']), /^--grace needs a value/)
    assert.match(refusal(['bash', '--json=yes']), /^--json takes no value, got "yes"/)
    assert.match(refusal(['bash', '--platform', 'win']), /^--platform must be one of linux, darwin, got "win"/)
    assert.match(refusal([]), /^missing argument <shell> \(the shell: bash, zsh\)/)
    assert.match(refusal(['tcsh']), /^<shell> must be one of bash, zsh, got "tcsh"/)
    assert.match(refusal(['bash', 'extra']), /^unexpected argument "extra"/)
  })
})

describe('the flag tables', {timeout: 10_000}, () => {
  test("each default is a value its own flag accepts (a default can't contradict its bounds)", () => {
    for (const table of Object.values(TABLES) as CommandTable[]) {
      for (const [name, spec] of Object.entries(table.flags)) {
        if (spec.default === undefined || spec.type === 'boolean') continue
        assert.equal(parseSetting(spec, String(spec.default)), spec.default, `${table.id} --${name}`)
      }
    }
  })
})
