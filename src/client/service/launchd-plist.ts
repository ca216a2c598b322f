import {CODEXD_VERSION} from '../../ground/product.js'
import {GENERATED_MARKER} from '../install/generated-file.js'
import type {ServiceSpec} from './service-spec.js'

/** Text escaped for an XML element. */
export function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

const string = (value: string, indent: string) => `${indent}<string>${xmlText(value)}</string>`

/**
 * The launchd agent that runs `codexd run` at login (RunAtLoad) and again when it exits with
 * an error (KeepAlive SuccessfulExit false): `codexd stop` or a clean SIGTERM stay stopped.
 */
export function renderLaunchdPlist(spec: ServiceSpec): string {
  const args = [spec.launcher.node, spec.launcher.entry, 'run', ...spec.runArgs].map((arg) => string(arg, '\t\t')).join('\n')
  const env = spec.environment.map(([name, value]) => `\t\t<key>${xmlText(name)}</key>\n${string(value, '\t\t')}`).join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- ${GENERATED_MARKER}: written by codexd service install (codexd ${CODEXD_VERSION}).
     codexd rewrites and removes this file (codexd service install|uninstall) and never
     touches a plist without this line. -->
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>Label</key>
${string(spec.identity.label, '\t')}
\t<key>ProgramArguments</key>
\t<array>
${args}
\t</array>
\t<key>EnvironmentVariables</key>
\t<dict>
${env}
\t</dict>
\t<key>RunAtLoad</key>
\t<true/>
\t<key>KeepAlive</key>
\t<dict>
\t\t<key>SuccessfulExit</key>
\t\t<false/>
\t</dict>
\t<key>ExitTimeOut</key>
\t<integer>20</integer>
</dict>
</plist>
`
}
