import {accessSync, constants, statSync} from 'node:fs'
import {delimiter, join} from 'node:path'

/** The first executable regular file named `name` on `PATH`, like `command -v`, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, name)
    try {
      if (!statSync(candidate).isFile()) continue
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // Not here: keep looking.
    }
  }
  return undefined
}
