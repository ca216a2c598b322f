import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {killGroup, spawnTracked, waitFor} from '../../src/ground/harness/processes.js'

const SOURCE = fileURLToPath(new URL('../fixtures/noflock-fs/noflock-fs.c', import.meta.url))

/** A mounted filesystem on which flock(2) fails (ENOLCK); `unmount()` in after(). */
export interface NoFlockMount {
  readonly mountpoint: string
  unmount(): void
}

/**
 * Builds (once, cached by source hash) and mounts the test/fixtures/noflock-fs FUSE filesystem,
 * a real filesystem whose flock(2) fails as on NFS without lockd. Resolves to `{skip}` with the
 * reason when this machine cannot: not root, no /dev/fuse, no libfuse3-dev or no C compiler.
 */
export async function mountNoFlockFs(): Promise<NoFlockMount | {skip: string}> {
  if (process.getuid?.() !== 0) return {skip: 'mounting a FUSE filesystem needs root here'}
  if (!existsSync('/dev/fuse')) return {skip: 'no /dev/fuse on this machine'}
  const flags = spawnSync('pkg-config', ['--cflags', '--libs', 'fuse3'], {encoding: 'utf8'})
  if (flags.status !== 0) return {skip: 'libfuse3-dev is not installed (apt-get install libfuse3-dev fuse3 pkg-config)'}
  const source = readFileSync(SOURCE)
  const dir = join(tmpdir(), 'codexd-test-noflock-fs')
  const binary = join(dir, `noflock-fs-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`)
  if (!existsSync(binary)) {
    mkdirSync(dir, {recursive: true})
    const built = spawnSync('cc', ['-O1', '-o', `${binary}.${process.pid}`, SOURCE, ...flags.stdout.trim().split(/\s+/)], {encoding: 'utf8'})
    if (built.status !== 0) return {skip: `could not build the noflock FUSE fixture: ${built.stderr || built.error?.message}`}
    spawnSync('mv', [`${binary}.${process.pid}`, binary])
  }
  const root = mkdtempSync(join(tmpdir(), 'codexd-noflock-'))
  const backing = join(root, 'backing')
  const mountpoint = join(root, 'mnt')
  mkdirSync(backing)
  mkdirSync(mountpoint)
  const daemon = spawnTracked(binary, [backing, mountpoint, '-f', '-o', 'default_permissions'])
  daemon.stdout?.resume()
  daemon.stderr?.resume()
  await waitFor(() => readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${mountpoint} `), {what: `the noflock filesystem at ${mountpoint}`})
  return {
    mountpoint,
    unmount() {
      spawnSync('umount', [mountpoint])
      killGroup(daemon.pid)
      rmSync(root, {recursive: true, force: true})
    },
  }
}
