import {ok, warn, fail, type DoctorCheck} from './types.js'

/** The oldest Node codexd runs on (package.json engines). */
export const MINIMUM_NODE = '20.19.0'

/** The Node LTS lines codexd is tested on, with their end of life (nodejs.org release schedule). */
export const NODE_LINES: Readonly<Record<number, string>> = {20: '2026-04-30', 22: '2027-04-30', 24: '2028-04-30'}

function parts(version: string): number[] {
  return version.replace(/^v/, '').split('-')[0].split('.').map(Number)
}

/** Classifies a Node version on a date: below the minimum fails; a line past its end of life, or untested, warns. */
export function classifyNode(version: string, today: Date): DoctorCheck {
  const [major, minor, patch] = parts(version)
  const [minMajor, minMinor, minPatch] = parts(MINIMUM_NODE)
  const id = 'node'
  if (major < minMajor || (major === minMajor && (minor < minMinor || (minor === minMinor && patch < minPatch)))) {
    return fail(id, `Node ${version} is older than ${MINIMUM_NODE}, the oldest codexd runs on`, 'install Node 22 or 24 (LTS) and reinstall codexd with it')
  }
  const endOfLife = NODE_LINES[major]
  if (endOfLife === undefined) {
    return warn(id, `Node ${version} (${process.execPath}) is not a line codexd is tested on (${Object.keys(NODE_LINES).join(', ')})`, 'use Node 22 or 24 (LTS)')
  }
  if (today.toISOString().slice(0, 10) > endOfLife) {
    return warn(id, `Node ${version} (${process.execPath}): Node ${major} reached end of life on ${endOfLife} (no more security fixes)`, 'move to Node 22 or 24 (LTS), then run `codexd launcher --write` and `codexd service install` again so they use it')
  }
  return ok(id, `Node ${version} (${process.execPath}), supported until ${endOfLife}`)
}

/** The Node running doctor (the one `codexd launcher --write` and `service install` bake in). */
export function checkNode(): DoctorCheck {
  return classifyNode(process.version, new Date())
}
