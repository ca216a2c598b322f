import type {SettingSpec} from '../util/setting.js'

/** What the supervisor does when the codex executable its child runs is upgraded (docs/codex-daemon.md). */
export const UPGRADE_POLICIES = ['restart-when-idle', 'restart-now', 'notify'] as const
export type UpgradePolicy = (typeof UPGRADE_POLICIES)[number]

/** `--on-upgrade` of `run` and `start` (and the variable `start` hands to the detached supervisor). */
export const ON_UPGRADE = {
  type: 'string',
  options: UPGRADE_POLICIES,
  default: 'restart-when-idle',
  env: 'CODEXD_ON_UPGRADE',
  description: 'when the codex executable is upgraded: restart-when-idle (restart the child once no client is connected), restart-now, or notify (only show it in status)',
} as const satisfies SettingSpec & {readonly env: string}
