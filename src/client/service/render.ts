import {renderLaunchdPlist} from './launchd-plist.js'
import type {ServiceSpec} from './service-spec.js'
import {renderSystemdUnit} from './systemd-unit.js'

/** The file content for the spec's manager: a systemd user unit or a launchd plist. */
export function renderServiceFile(spec: ServiceSpec): string {
  return spec.manager === 'systemd' ? renderSystemdUnit(spec) : renderLaunchdPlist(spec)
}

/** The name users type for the service: the unit name or the launchd label. */
export function serviceName(spec: ServiceSpec): string {
  return spec.manager === 'systemd' ? spec.identity.unitName : spec.identity.label
}
