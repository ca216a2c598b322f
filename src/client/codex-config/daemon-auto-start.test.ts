import assert from 'node:assert/strict'
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {CodexdError} from '../../ground/errors/codexd-error.js'
import {readDaemonAutoStart, setDaemonAutoStart, writeDaemonAutoStart} from './daemon-auto-start.js'

const WITH_TABLES = `# codex config, hand-edited
model = "gpt-5"   # the default model
approval_policy = "on-request"

[tui]
screen_reader_detection_done = true

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-server"]  # [features] in a comment is not a table
`

const WITH_FEATURES = `[features]
# keep this comment
web_search = true

[profiles.work]
model = "o3"
`

describe('codex-config daemon-auto-start: only [features] daemon_auto_start changes', {timeout: 10_000}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-codex-config-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('no [features] table: off appends it, every other byte stays; on restores the file byte for byte', () => {
    const off = setDaemonAutoStart(WITH_TABLES, false)
    assert.ok(off.startsWith(WITH_TABLES), 'the original bytes are a prefix, unchanged')
    assert.equal(off.slice(WITH_TABLES.length), '\n[features] # added by codexd codex-config daemon-auto-start off\ndaemon_auto_start = false\n')
    assert.equal(readDaemonAutoStart(off), false)
    assert.equal(setDaemonAutoStart(off, false), off, 'idempotent')
    assert.equal(setDaemonAutoStart(off, true), WITH_TABLES)
  })

  it('an existing [features] table: off adds one line under its header; on removes exactly that line', () => {
    const off = setDaemonAutoStart(WITH_FEATURES, false)
    assert.equal(off, WITH_FEATURES.replace('[features]\n', '[features]\ndaemon_auto_start = false\n'))
    assert.equal(setDaemonAutoStart(off, true), WITH_FEATURES)
  })

  it('a key someone wrote keeps its indentation and comment; only the value flips, and back', () => {
    const mine = WITH_FEATURES.replace('web_search = true\n', 'web_search = true\n  daemon_auto_start   =  true # mine\n')
    const off = setDaemonAutoStart(mine, false)
    assert.equal(off, mine.replace('daemon_auto_start   =  true # mine', 'daemon_auto_start   =  false # mine'))
    assert.equal(setDaemonAutoStart(off, true), mine)
    const dotted = 'features.daemon_auto_start = true\n[tui]\nx = 1\n'
    assert.equal(setDaemonAutoStart(dotted, false), 'features.daemon_auto_start = false\n[tui]\nx = 1\n')
    assert.equal(readDaemonAutoStart('[other]\ndaemon_auto_start = false\n'), undefined, 'the key of another table is not it')
  })

  it('a file without a final newline, and an empty one', () => {
    const text = 'model = "o3"'
    const off = setDaemonAutoStart(text, false)
    assert.equal(off, 'model = "o3"\n[features] # added by codexd codex-config daemon-auto-start off\ndaemon_auto_start = false\n')
    assert.equal(setDaemonAutoStart(off, true), text)
    assert.equal(setDaemonAutoStart(`${text}\n`, true), `${text}\n`)
    assert.equal(setDaemonAutoStart(setDaemonAutoStart(`${text}\n`, false), true), `${text}\n`)
    assert.equal(setDaemonAutoStart(setDaemonAutoStart('', false), true), '')
    const emptyTable = 'a = 1\n[features]\n'
    assert.equal(setDaemonAutoStart(setDaemonAutoStart(emptyTable, false), true), emptyTable, "a [features] table of the user's stays")
  })

  it('features as an inline table is refused (exit 7), not rewritten', () => {
    assert.throws(() => setDaemonAutoStart('features = { web_search = true }\n', false), (error: unknown) => error instanceof CodexdError && error.exitCode === 7 && /inline table/.test(error.message))
  })

  it('writes the file atomically with its mode kept; on after off restores it; a config codexd created is removed again', () => {
    const home = mkdtempSync(join(dir, 'home-'))
    const path = join(home, 'config.toml')
    writeFileSync(path, WITH_TABLES)
    chmodSync(path, 0o640)
    const off = writeDaemonAutoStart(home, false)
    assert.deepEqual({before: off.before, after: off.after, changed: off.changed}, {before: true, after: false, changed: true})
    assert.equal(statSync(path).mode & 0o777, 0o640)
    assert.equal(readFileSync(path, 'utf8').slice(0, WITH_TABLES.length), WITH_TABLES)
    assert.equal(writeDaemonAutoStart(home, true).changed, true)
    assert.equal(readFileSync(path, 'utf8'), WITH_TABLES)
    assert.equal(writeDaemonAutoStart(home, true).changed, false)

    const fresh = mkdtempSync(join(dir, 'fresh-'))
    writeDaemonAutoStart(fresh, false)
    assert.equal(readDaemonAutoStart(readFileSync(join(fresh, 'config.toml'), 'utf8')), false)
    writeDaemonAutoStart(fresh, true)
    assert.equal(existsSync(join(fresh, 'config.toml')), false)
  })
})
