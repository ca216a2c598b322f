/**
 * The real codex for the peer rows: the installer the tests use (src/ground/harness/real-codex.ts,
 * built into dist/), sharing their cache. Resolves {bin, version}, or {skip: reason} when codex
 * cannot be had (registry unreachable, another platform, a failed install): a bench without the
 * codex rows still measures codexd.
 */
import {installRealCodex} from '../../dist/ground/harness/real-codex.js'

export function realCodex(version = '0.169.0') {
  return installRealCodex(version).catch((error) => ({skip: error.message.split('\n')[0]}))
}
