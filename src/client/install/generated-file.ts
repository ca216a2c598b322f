import {mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'
import {CodexdError, errnoCode} from '../../ground/errors/codexd-error.js'
import {ExitCode} from '../../ground/errors/exit-codes.js'

/**
 * The mark codexd puts in the header of every file it generates (shell init files, systemd
 * units, launchd plists). A file without it was not written by codexd and is never touched.
 */
export const GENERATED_MARKER = 'codexd:generated'

/** How far into a file the marker is looked for: it belongs in the header. */
const MARKER_WINDOW = 512

/** What writing a generated file did. */
export type WriteOutcome = 'created' | 'updated' | 'unchanged'

/** True when `text` carries codexd's marker in its header. */
export function isGeneratedByCodexd(text: string): boolean {
  return text.slice(0, MARKER_WINDOW).includes(GENERATED_MARKER)
}

/** The current content of `path`, or undefined when it does not exist. */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined
    throw new CodexdError('generated-file-unreadable', `cannot read ${path} (${errnoCode(error)}): fix its permissions`, ExitCode.BadPath)
  }
}

function foreignFile(path: string, action: string): CodexdError {
  return new CodexdError('foreign-file', `${path} exists and was not written by codexd (no "${GENERATED_MARKER}" header), so codexd will not ${action} it: move it aside and run again`, ExitCode.BadPath)
}

/** What writing `content` to `path` would do, without writing: `foreign` means it would be refused. */
export function plannedOutcome(path: string, content: string): WriteOutcome | 'foreign' {
  const existing = readIfExists(path)
  if (existing === undefined) return 'created'
  if (!isGeneratedByCodexd(existing)) return 'foreign'
  return existing === content ? 'unchanged' : 'updated'
}

/**
 * Writes `content` (which must carry the marker) to `path`, atomically (temp file + rename).
 * Idempotent: the same content again is `unchanged` and the file is not rewritten. A file
 * that exists without the marker is someone else's: refused with a CodexdError (exit 7).
 */
export function writeGeneratedFile(path: string, content: string, mode = 0o644): WriteOutcome {
  if (!isGeneratedByCodexd(content)) throw new Error(`bug: generated content for ${path} lacks the ${GENERATED_MARKER} marker`)
  const existing = readIfExists(path)
  if (existing !== undefined && !isGeneratedByCodexd(existing)) throw foreignFile(path, 'overwrite')
  if (existing === content) return 'unchanged'
  mkdirSync(dirname(path), {recursive: true, mode: 0o755})
  const temp = `${path}.codexd-${process.pid}.tmp`
  writeFileSync(temp, content, {mode})
  renameSync(temp, path)
  return existing === undefined ? 'created' : 'updated'
}

/** Removes a file codexd generated; `absent` when there is none; refuses a foreign file. */
export function removeGeneratedFile(path: string): 'removed' | 'absent' {
  const existing = readIfExists(path)
  if (existing === undefined) return 'absent'
  if (!isGeneratedByCodexd(existing)) throw foreignFile(path, 'remove')
  rmSync(path, {force: true})
  return 'removed'
}
