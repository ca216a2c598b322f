import {CODEXD_VERSION} from '../../ground/product.js'
import {GENERATED_MARKER} from '../install/generated-file.js'
import type {ServiceSpec} from './service-spec.js'
import {environmentLine, execStartLine, SERVICE_POLICY, unitHeader} from './systemd-unit.js'

/**
 * `codexd@.service`: one unit for every home, the instance naming the home (`systemd-escape
 * --path`). `%f` is the instance unescaped with its leading `/`, so CODEX_HOME is the home the
 * instance names. It holds only what all homes share (node, codexd); each instance's PATH and
 * server live in its drop-in.
 */
export function renderSystemdTemplate(spec: ServiceSpec): string {
  return `${unitHeader('codexd@HOME.service')}[Unit]
Description=codexd: Codex app-server supervisor for %f

[Service]
Type=simple
Environment="CODEX_HOME=%f"
${execStartLine(spec)}
${SERVICE_POLICY}`
}

/**
 * The drop-in of one instance (`codexd@<home>.service.d/codexd.conf`): the home it serves (as a
 * comment: %f already says it), the installing shell's PATH, and the server when one was chosen.
 * Its existence is what makes the home's instance installed.
 */
export function renderInstanceDropIn(spec: ServiceSpec): string {
  return `# ${GENERATED_MARKER}: written by \`codexd service install --home\` (codexd ${CODEXD_VERSION}).
# The settings of ${spec.identity.unitName}, which runs \`codexd run\` for CODEX_HOME=${spec.home}.
# codexd rewrites and removes this file; put your own settings in another file of this directory.
[Service]
${spec.environment.filter(([name]) => name !== 'CODEX_HOME').map(([name, value]) => environmentLine(name, value)).join('\n')}
`
}
