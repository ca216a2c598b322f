import {plannedOutcome, type WriteOutcome} from '../install/generated-file.js'
import {renderLaunchdPlist} from './launchd-plist.js'
import type {ServiceSpec} from './service-spec.js'
import {renderInstanceDropIn, renderSystemdTemplate} from './systemd-template.js'
import {renderSystemdUnit} from './systemd-unit.js'

/** The file content for the spec's manager: a systemd user unit, an instance's drop-in, or a launchd plist. */
export function renderServiceFile(spec: ServiceSpec): string {
  if (spec.template) return renderInstanceDropIn(spec)
  return spec.manager === 'systemd' ? renderSystemdUnit(spec) : renderLaunchdPlist(spec)
}

/** The shared template a `--home` instance runs from: its path and content (undefined for a plain unit). */
export function templateFile(spec: ServiceSpec): {path: string; content: string} | undefined {
  return spec.template ? {path: spec.template.path, content: renderSystemdTemplate(spec)} : undefined
}

/** What the home's service file is: absent, current, outdated (ours, install would rewrite it), foreign (not ours). */
export type FileState = 'absent' | 'current' | 'outdated' | 'foreign'

const STATE: Record<WriteOutcome | 'foreign', FileState> = {created: 'absent', unchanged: 'current', updated: 'outdated', foreign: 'foreign'}

/** The state of the spec's files: the home's own file, and for an instance also the shared template. */
export function serviceFileState(spec: ServiceSpec): FileState {
  const own = STATE[plannedOutcome(spec.path, renderServiceFile(spec))]
  const template = templateFile(spec)
  if (!template || own === 'absent' || own === 'foreign') return own
  const shared = STATE[plannedOutcome(template.path, template.content)]
  return shared === 'current' ? own : shared === 'absent' ? 'outdated' : shared
}

/** The name users type for the service: the unit name or the launchd label. */
export function serviceName(spec: ServiceSpec): string {
  return spec.manager === 'systemd' ? spec.identity.unitName : spec.identity.label
}
