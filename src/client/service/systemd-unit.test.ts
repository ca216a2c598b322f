import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {findOnPath} from '../../shared/children/find-on-path.js'
import {GENERATED_MARKER, isGeneratedByCodexd} from '../install/generated-file.js'
import type {ServiceSpec} from './service-spec.js'
import {environmentLine, execWord, renderSystemdUnit} from './systemd-unit.js'

function spec(node: string, entry: string, home: string): ServiceSpec {
  return {
    manager: 'systemd',
    identity: {unitName: 'codexd-0123abcd.service', label: 'dev.codexd.supervisor.0123abcd'},
    path: '/unused',
    home,
    launcher: {node, entry},
    environment: [['CODEX_HOME', home], ['PATH', '/usr/bin:/bin'], ['CODEXD_SERVER', 'builtin']],
  }
}

describe('systemd user unit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-unit-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('runs `codexd run` with the absolute launcher, the environment, and codexd-friendly stop/restart settings', () => {
    const unit = renderSystemdUnit(spec('/usr/bin/node', '/opt/codexd/bin/run.cjs', '/home/u/.codex'))
    assert.ok(isGeneratedByCodexd(unit))
    assert.ok(unit.startsWith(`# ${GENERATED_MARKER}: `))
    const lines = unit.split('\n')
    for (const expected of [
      '[Service]',
      'Type=simple',
      'Environment="CODEX_HOME=/home/u/.codex"',
      'Environment="PATH=/usr/bin:/bin"',
      'Environment="CODEXD_SERVER=builtin"',
      'ExecStart=/usr/bin/node /opt/codexd/bin/run.cjs run',
      'Restart=on-failure',
      'RestartPreventExitStatus=6 7',
      'KillMode=mixed',
      '[Install]',
      'WantedBy=default.target',
    ]) assert.ok(lines.includes(expected), `missing line: ${expected}\n${unit}`)
  })

  it('escapes what systemd would expand or split: %, $, spaces, quotes, backslashes', () => {
    assert.equal(execWord('/plain/path-1.2/run.js'), '/plain/path-1.2/run.js')
    assert.equal(execWord('/a b/run.js'), '"/a b/run.js"')
    assert.equal(execWord('/100%/x'), '/100%%/x')
    assert.equal(execWord('/$HOME/x'), '"/$$HOME/x"')
    assert.equal(execWord('/q"\\/x'), '"/q\\"\\\\/x"')
    // No $ expansion in Environment=, so $ stays; % is still a specifier there.
    assert.equal(environmentLine('CODEX_HOME', '/h $x 5%'), 'Environment="CODEX_HOME=/h $x 5%%"')
  })

  it('systemd-analyze verify accepts the unit, and finds the quoted executable (path with a space and a %)', (t) => {
    if (!findOnPath('systemd-analyze')) return t.skip('systemd-analyze is not installed')
    const odd = join(dir, 'my node 100%')
    mkdirSync(odd)
    symlinkSync(process.execPath, join(odd, 'node'))
    const file = join(dir, 'codexd-0123abcd.service')
    writeFileSync(file, renderSystemdUnit(spec(join(odd, 'node'), join(odd, 'run.js'), join(dir, 'home $x'))))
    const result = spawnSync('systemd-analyze', ['verify', file], {encoding: 'utf8'})
    const about = result.stderr.split('\n').filter((line) => line.includes(file) || /not executable|quot|escape/i.test(line))
    assert.deepEqual(about, [], result.stderr)
    assert.equal(result.status, 0, result.stderr)
    // Control: a wrongly quoted executable is reported, so the check above can fail.
    writeFileSync(file, renderSystemdUnit(spec(join(odd, 'node'), 'x', 'y')).replace(/^ExecStart=.*$/m, `ExecStart=${join(odd, 'node')} run`))
    const bad = spawnSync('systemd-analyze', ['verify', file], {encoding: 'utf8'})
    assert.match(bad.stderr, /not executable|No such file/)
  })
})
