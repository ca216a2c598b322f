import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {after, describe, it} from 'node:test'
import {findOnPath} from '../../ground/children/find-on-path.js'
import {GENERATED_MARKER, isGeneratedByCodexd} from '../install/generated-file.js'
import type {ServiceSpec} from './service-spec.js'
import {INSTANCE_DROP_IN, TEMPLATE_UNIT, templateInstanceName} from './systemd-escape.js'
import {renderInstanceDropIn, renderSystemdTemplate} from './systemd-template.js'
import {environmentLine, execWord, renderSystemdUnit} from './systemd-unit.js'

function spec(node: string, entry: string, home: string): ServiceSpec {
  return {
    manager: 'systemd',
    identity: {unitName: 'codexd-0123abcd.service', label: 'dev.codexd.supervisor.0123abcd'},
    path: '/unused',
    home,
    launcher: {node, entry},
    environment: [['CODEX_HOME', home], ['PATH', '/usr/bin:/bin'], ['CODEXD_SERVER', 'builtin']],
    runArgs: [],
  }
}

describe('systemd user unit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-unit-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('passes --on-upgrade to `codexd run` when one was chosen', () => {
    const unit = renderSystemdUnit({...spec('/usr/bin/node', '/opt/codexd/bin/run.cjs', '/home/u/.codex'), runArgs: ['--on-upgrade', 'notify']})
    assert.ok(unit.split('\n').includes('ExecStart=/usr/bin/node /opt/codexd/bin/run.cjs run --on-upgrade notify'), unit)
  })

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
    if (!findOnPath('systemd-analyze')) return t.skip('systemd-analyze is not installed (Debian package systemd)')
    const odd = join(dir, 'my node 100%')
    mkdirSync(odd)
    symlinkSync(process.execPath, join(odd, 'node'))
    const file = join(dir, 'codexd-0123abcd.service')
    writeFileSync(file, renderSystemdUnit(spec(join(odd, 'node'), join(odd, 'run.js'), join(dir, 'home $x'))))
    assertVerified(file)
    // Control: a wrongly quoted executable is reported, so the check above can fail.
    writeFileSync(file, renderSystemdUnit(spec(join(odd, 'node'), 'x', 'y')).replace(/^ExecStart=.*$/m, `ExecStart=${join(odd, 'node')} run`))
    const bad = spawnSync('systemd-analyze', ['verify', file], {encoding: 'utf8'})
    assert.match(bad.stderr, /not executable|No such file/)
  })

  it("systemd-analyze verify accepts the default home's unit (codexd.service) and a hashed one without a server", (t) => {
    if (!findOnPath('systemd-analyze')) return t.skip('systemd-analyze is not installed (Debian package systemd)')
    for (const unitName of ['codexd.service', 'codexd-89abcdef.service']) {
      const file = join(dir, unitName)
      const plain = {...spec(process.execPath, '/opt/codexd/bin/run.cjs', '/home/u/.codex'), identity: {unitName, label: 'unused'}, environment: [['CODEX_HOME', '/home/u/.codex'], ['PATH', '/usr/bin']] as const}
      writeFileSync(file, renderSystemdUnit(plain))
      assertVerified(file)
    }
  })

  it('the template codexd@.service renders CODEX_HOME as %f; the drop-in carries PATH and the server', () => {
    const instance = {...spec('/usr/bin/node', '/opt/codexd/bin/run.cjs', '/srv/a-b/c 5%'), identity: {unitName: templateInstanceName('/srv/a-b/c 5%'), label: ''}, template: {path: '/unused'}}
    const template = renderSystemdTemplate(instance)
    assert.ok(isGeneratedByCodexd(template))
    assert.ok(template.split('\n').includes('Environment="CODEX_HOME=%f"'), template)
    assert.doesNotMatch(template, /srv|PATH=|CODEXD_SERVER/) // shared by every home: nothing of this one
    const dropIn = renderInstanceDropIn(instance)
    assert.ok(isGeneratedByCodexd(dropIn))
    assert.deepEqual(dropIn.split('\n').filter((line) => !line.startsWith('#')), ['[Service]', 'Environment="PATH=/usr/bin:/bin"', 'Environment="CODEXD_SERVER=builtin"', ''])
  })

  it('systemd-analyze verify accepts an instance codexd@<home>.service: the template with its drop-in, for odd homes', (t) => {
    if (!findOnPath('systemd-analyze')) return t.skip('systemd-analyze is not installed (Debian package systemd)')
    for (const [index, home] of ['/home/u/.codex', '/srv/a-b/c d 5%/ü', `/w/$x"q'`].entries()) {
      const units = join(dir, `units-${index}`)
      const instance = {...spec(process.execPath, '/opt/codexd/bin/run.cjs', home), identity: {unitName: templateInstanceName(home), label: ''}, template: {path: join(units, TEMPLATE_UNIT)}}
      const dropIn = join(units, `${instance.identity.unitName}.d`, INSTANCE_DROP_IN)
      mkdirSync(dirname(dropIn), {recursive: true})
      writeFileSync(instance.template.path, renderSystemdTemplate(instance))
      writeFileSync(dropIn, renderInstanceDropIn(instance))
      assertVerified(join(units, instance.identity.unitName))
      // Control: verify reads the drop-in, so a bad line in it is caught.
      writeFileSync(dropIn, `${renderInstanceDropIn(instance)}Bogus=1\n`)
      assert.match(spawnSync('systemd-analyze', ['verify', join(units, instance.identity.unitName)], {encoding: 'utf8'}).stderr, /Unknown key 'Bogus'/)
    }
  })
})

/** `systemd-analyze verify FILE` exits 0 and says nothing about FILE or the files it loads from beside it. */
function assertVerified(file: string): void {
  const result = spawnSync('systemd-analyze', ['verify', file], {encoding: 'utf8'})
  const about = result.stderr.split('\n').filter((line) => line.includes(dirname(file)) || /not executable|quot|escape|Unknown|Invalid|Failed/i.test(line))
  assert.deepEqual(about, [], result.stderr)
  assert.equal(result.status, 0, result.stderr)
}
