import {statSync} from 'node:fs'
import {dirname} from 'node:path'

/** `path` when it exists, else its nearest existing ancestor: where a missing home would be created. */
export function existingBase(path: string): string {
  for (let current = path; ; current = dirname(current)) {
    try {
      statSync(current)
      return current
    } catch {
      if (dirname(current) === current) return current
    }
  }
}
