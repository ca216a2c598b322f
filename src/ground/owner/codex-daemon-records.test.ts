import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {codexVersionOf, daemonPidFileNames, homeOf, isManagedDaemonCommand, isUpdaterCommand} from './codex-daemon-records.js'
import {bootId, processFacts} from './process-facts.js'

describe("codex's daemon records", {timeout: 10_000}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'codexd-owner-'))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('tells the managed app-server and the updater by their command lines', () => {
    const bin = '/h/packages/app-server-daemon/releases/0.171.0-x86_64-unknown-linux-musl/bin/codex'
    assert.equal(isManagedDaemonCommand([bin, 'app-server', '--listen', 'unix://', '--analytics-default-enabled', '--managed-daemon']), true)
    assert.equal(isManagedDaemonCommand([bin, 'app-server', '--listen', 'unix://']), false, 'started by hand')
    assert.equal(isUpdaterCommand([bin, 'app-server', 'daemon', 'pid-update-loop']), true)
    assert.equal(isUpdaterCommand([bin, 'app-server', 'daemon', 'stop']), false)
    assert.equal(isUpdaterCommand(['/usr/bin/pid-update-loop']), false, 'never by name')
  })

  it('reads the version from the release manifest, else from the release directory name', () => {
    const release = join(dir, 'releases', '0.171.0-x86_64-unknown-linux-musl')
    mkdirSync(join(release, 'bin'), {recursive: true})
    assert.equal(codexVersionOf(join(release, 'bin', 'codex')), '0.171.0')
    writeFileSync(join(release, 'codex-package.json'), JSON.stringify({version: '0.171.1'}))
    assert.equal(codexVersionOf(join(release, 'bin', 'codex')), '0.171.1')
    assert.equal(codexVersionOf('/usr/local/bin/codex'), null)
  })

  it('daemon.pid names a process only with the same pid, start ticks and boot', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore', env: {...process.env, CODEX_HOME: dir}})
    await once(child, 'spawn')
    try {
      const facts = processFacts(child.pid!)!
      assert.equal(homeOf(facts), dir)
      mkdirSync(join(dir, 'app-server-daemon'), {recursive: true})
      const record = (startTicks: number, boot = bootId()) => writeFileSync(join(dir, 'app-server-daemon', 'daemon.pid'), JSON.stringify({pid: child.pid, processStartTime: 'x', processIdentity: {bootId: boot, startTicks}}))
      record(Number(facts.startTicks))
      assert.equal(daemonPidFileNames(dir, facts), true)
      record(Number(facts.startTicks) + 1)
      assert.equal(daemonPidFileNames(dir, facts), false, 'a reused pid')
      record(Number(facts.startTicks), '00000000-0000-0000-0000-000000000000')
      assert.equal(daemonPidFileNames(dir, facts), false, 'another boot')
    } finally {
      child.kill('SIGKILL')
    }
  })
})
