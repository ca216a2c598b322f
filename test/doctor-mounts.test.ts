// `codexd doctor` on real mounts (issue 14, point 1): free space and inodes on small tmpfs
// mounts, and a FUSE filesystem where flock(2) fails (test/fixtures/noflock-fs).
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import {killAllStarted} from '../src/ground/harness/processes.js'
import {doctor, doctorEnv} from './support/doctor-run.js'
import {homesForFile} from './support/proxy-stdio.js'
import {mountNoFlockFs} from './support/noflock-mount.js'

const newHome = homesForFile('codexd-doctor-mnt-')
const mounted: string[] = []

after(() => {
  for (const mountpoint of mounted) {
    spawnSync('umount', [mountpoint])
    rmSync(mountpoint, {recursive: true, force: true})
  }
  killAllStarted()
})

/** A tmpfs mounted with `options` (size=, nr_inodes=), or the reason it cannot be. */
function mountTmpfs(options: string): string | {skip: string} {
  if (process.getuid?.() !== 0) return {skip: 'mounting a tmpfs needs root'}
  const mountpoint = mkdtempSync(join(tmpdir(), 'codexd-doctor-tmpfs-'))
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `${options},mode=0700`, 'codexd-doctor', mountpoint], {encoding: 'utf8'})
  if (result.status !== 0) {
    rmSync(mountpoint, {recursive: true, force: true})
    return {skip: `mount -t tmpfs failed here: ${result.stderr.trim() || result.error?.message}`}
  }
  mounted.push(mountpoint)
  return mountpoint
}

/** A CODEX_HOME inside `mountpoint`, with the environment of a temp home. */
function homeOn(mountpoint: string): NodeJS.ProcessEnv {
  const home = join(mountpoint, 'home')
  mkdirSync(home, {mode: 0o700})
  return doctorEnv(newHome(), {CODEX_HOME: home})
}

describe('codexd doctor on real mounts', {timeout: 120_000}, () => {
  test('free space: a 16 MiB tmpfs fails, a 256 MiB one warns, a local disk is ok; the filesystem is local', async (t) => {
    const small = mountTmpfs('size=16m')
    if (typeof small !== 'string') return t.skip(small.skip)
    const full = await doctor(homeOn(small))
    const space = full.check('free-space')
    assert.equal(full.code, 1)
    assert.equal(space.status, 'fail')
    assert.match(space.found, /^1[0-6] MiB free, \d+ inodes free on the filesystem of .*: too little to start/)
    assert.equal(full.check('filesystem').status, 'ok')
    assert.match(full.check('filesystem').found, /statfs type 0x1021994/)
    const medium = mountTmpfs('size=256m')
    if (typeof medium !== 'string') return t.skip(medium.skip)
    assert.equal((await doctor(homeOn(medium))).check('free-space').status, 'warn')
    assert.equal((await doctor(doctorEnv(newHome()))).check('free-space').status, 'ok')
  })

  test('free inodes: a tmpfs with 200 inodes fails', async (t) => {
    const few = mountTmpfs('size=1g,nr_inodes=200')
    if (typeof few !== 'string') return t.skip(few.skip)
    const space = (await doctor(homeOn(few))).check('free-space')
    assert.equal(space.status, 'fail')
    assert.match(space.found, /, 1\d\d inodes free/)
  })

  test('a FUSE filesystem where flock(2) fails: filesystem warns (citing codex\'s reports), the flock probe fails, exit 1', async (t) => {
    const mount = await mountNoFlockFs()
    if ('skip' in mount) return t.skip(mount.skip)
    try {
      const {code, check} = await doctor(homeOn(mount.mountpoint))
      const filesystem = check('filesystem')
      assert.equal(filesystem.status, 'warn')
      assert.match(filesystem.found, /is on FUSE \(statfs type 0x65735546\): flock\(2\) and SQLite's WAL are unreliable there .*openai\/codex#30957, openai\/codex#38150/)
      const flock = check('flock')
      assert.equal(flock.status, 'fail')
      assert.match(flock.found, /flock\(2\) fails on .*\.codexd-doctor-flock-\d+: cannot flock .*ENOLCK/)
      assert.equal(code, 1)
    } finally {
      mount.unmount()
    }
  })
})
