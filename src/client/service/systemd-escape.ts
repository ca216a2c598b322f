import {resolve} from 'node:path'
import {usageError} from '../../ground/errors/codexd-error.js'

/** The template's file name: one file for every home on the host. */
export const TEMPLATE_UNIT = 'codexd@.service'

/** The drop-in file each instance gets in `codexd@<home>.service.d/`. */
export const INSTANCE_DROP_IN = 'codexd.conf'

/** systemd's longest unit name (UNIT_NAME_MAX - 1). */
const UNIT_NAME_MAX = 255

/** Bytes systemd leaves as they are in an escaped name; `-` and `\` are escaped, `/` becomes `-`. */
const PLAIN = /^[A-Za-z0-9:_.]$/

function escapeByte(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`
}

/**
 * `systemd-escape --path PATH`: the instance name that `%f` turns back into PATH. The path is
 * normalized, its leading and trailing `/` dropped, `/` becomes `-`, and every byte other than
 * `[A-Za-z0-9:_.]` (and a leading `.`) becomes `\xNN`. The root is `-`.
 */
export function escapeSystemdPath(path: string): string {
  const trimmed = resolve(path).replace(/^\/+|\/+$/g, '')
  if (trimmed === '') return '-'
  let escaped = ''
  for (const [index, byte] of [...Buffer.from(trimmed, 'utf8')].entries()) {
    const char = String.fromCharCode(byte)
    if (char === '/') escaped += '-'
    else if (byte < 0x80 && PLAIN.test(char) && !(index === 0 && char === '.')) escaped += char
    else escaped += escapeByte(byte)
  }
  return escaped
}

/** The instance unit `codexd@<escaped home>.service`; a usage error when systemd could not name it. */
export function templateInstanceName(home: string): string {
  const name = `codexd@${escapeSystemdPath(home)}.service`
  if (Buffer.byteLength(name) > UNIT_NAME_MAX) throw usageError(`--home ${home}: the escaped unit name is ${Buffer.byteLength(name)} bytes, over systemd's ${UNIT_NAME_MAX}: use a shorter path (a symlink to it works)`)
  return name
}
