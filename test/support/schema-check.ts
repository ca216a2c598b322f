import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import AjvModule from 'ajv'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const SCHEMAS = join(ROOT, 'schemas')
// ajv is CommonJS: under NodeNext its class is the module's default export's default.
const Ajv = (AjvModule as unknown as {default: typeof AjvModule.default}).default ?? AjvModule

/** Every schemas/*.json, compiled by one strict validator (cross-file $refs resolve by $id). */
export function loadValidator() {
  const ajv = new Ajv({strict: true, allErrors: true})
  for (const file of readdirSync(SCHEMAS).filter((name) => name.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')), file)
  return (schema: string, value: unknown) => {
    const validate = ajv.getSchema(schema)
    assert.ok(validate, `no schema ${schema}`)
    assert.ok(validate(value), `${schema}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value, null, 2)}`)
    assertCamelCase(value, schema)
  }
}

/** One naming convention everywhere: every key at every depth is camelCase. */
function assertCamelCase(value: unknown, where: string): void {
  if (Array.isArray(value)) return value.forEach((item, index) => assertCamelCase(item, `${where}[${index}]`))
  if (value === null || typeof value !== 'object') return
  for (const [key, inner] of Object.entries(value)) {
    assert.match(key, /^[a-z][a-zA-Z0-9]*$/, `${where}.${key} is not camelCase`)
    assertCamelCase(inner, `${where}.${key}`)
  }
}

