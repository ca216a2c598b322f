import {execFile} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, renameSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** The Node release installed when the test's own Node has no process.execve (Node 20). */
export const NODE_WITH_EXECVE_VERSION = '24.22.3'

const INSTALL_TIMEOUT_MS = 10 * 60_000

/**
 * A Node binary that has process.execve (Node >= 22.15): this Node when it has it, else the
 * official Node binary from the npm registry package `node-linux-<arch>@NODE_WITH_EXECVE_VERSION`,
 * installed once into `<tmpdir>/codexd-test-node/<version>` (a temp dir renamed into place, so
 * concurrent test processes share one copy). `{skip}` with npm's words when it cannot be installed.
 */
export async function nodeWithExecve(): Promise<{node: string} | {skip: string}> {
  if (typeof (process as unknown as {execve?: unknown}).execve === 'function') return {node: process.execPath}
  if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) return {skip: `no Node binary package for ${process.platform}-${process.arch}`}
  const pkg = `node-linux-${process.arch}`
  const root = join(tmpdir(), 'codexd-test-node')
  const binary = (prefix: string) => join(prefix, 'node_modules', pkg, 'bin', 'node')
  const dir = join(root, NODE_WITH_EXECVE_VERSION)
  if (existsSync(binary(dir))) return {node: binary(dir)}
  mkdirSync(root, {recursive: true})
  const staging = mkdtempSync(join(root, `.${NODE_WITH_EXECVE_VERSION}.installing-`))
  try {
    const args = ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', staging, `${pkg}@${NODE_WITH_EXECVE_VERSION}`]
    const failure = await new Promise<string | undefined>((resolve) => {
      execFile('npm', args, {timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
        resolve(error ? `${(error as {killed?: boolean}).killed ? `timed out after ${INSTALL_TIMEOUT_MS} ms` : error.message.split('\n')[0]}: ${`${stdout}${stderr}`.trim().split('\n').slice(-2).join(' | ')}` : undefined)
      })
    })
    if (failure) return {skip: `npm install ${pkg}@${NODE_WITH_EXECVE_VERSION} failed (registry unreachable?): ${failure}`}
    if (!existsSync(binary(staging))) throw new Error(`npm installed ${pkg}@${NODE_WITH_EXECVE_VERSION} into ${staging} but ${binary(staging)} is not there`)
    try {
      renameSync(staging, dir)
    } catch (error) {
      // Another test process put its copy there first: use that one.
      if (!existsSync(binary(dir))) throw error
    }
    return {node: binary(dir)}
  } finally {
    rmSync(staging, {recursive: true, force: true})
  }
}
