/**
 * The real codex for the peer rows: the native binary of @openai/codex@VERSION in the cache the
 * test suite shares (test/support/real-codex.ts), installed there with npm when missing. Resolves
 * {bin, version} or {skip: reason} when it cannot be had (registry unreachable, other platform).
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const TRIPLES = {'linux-x64': ['@openai/codex-linux-x64', 'x86_64-unknown-linux-musl'], 'linux-arm64': ['@openai/codex-linux-arm64', 'aarch64-unknown-linux-musl']}

export async function realCodex(version = '0.169.0') {
  const target = TRIPLES[`${process.platform}-${process.arch}`]
  if (!target) return {skip: `no codex binary is published for ${process.platform}-${process.arch}`}
  const root = join(tmpdir(), 'codexd-test-codex')
  const dir = join(root, version)
  const found = binaryIn(dir, target)
  if (found) return found
  mkdirSync(root, {recursive: true})
  const staging = mkdtempSync(join(root, `.${version}.installing-`))
  try {
    const failure = await npmInstall(staging, version)
    if (failure) return {skip: failure}
    try {
      renameSync(staging, dir)
    } catch {
      // Another process (a test run) installed it meanwhile: use theirs.
    }
    return binaryIn(dir, target) ?? {skip: `npm installed @openai/codex@${version} but no binary for ${process.platform}-${process.arch} is in ${dir}`}
  } finally {
    rmSync(staging, {recursive: true, force: true})
  }
}

function binaryIn(prefix, [pkg, triple]) {
  const bin = join(prefix, 'node_modules', ...pkg.split('/'), 'vendor', triple, 'bin', 'codex')
  if (!existsSync(bin)) return undefined
  const {version} = JSON.parse(readFileSync(join(prefix, 'node_modules', '@openai', 'codex', 'package.json'), 'utf8'))
  return {bin, version}
}

/** npm install into `prefix`; resolves undefined on success, else a one-line reason. */
function npmInstall(prefix, version) {
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--include=optional', '--prefix', prefix, `@openai/codex@${version}`]
  return new Promise((resolve) => {
    execFile('npm', args, {timeout: 120_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
      if (!error) return resolve(undefined)
      resolve(`npm install @openai/codex@${version} failed (registry unreachable?): ${`${stdout}${stderr}`.trim().split('\n').slice(-2).join(' | ')}`)
    })
  })
}
