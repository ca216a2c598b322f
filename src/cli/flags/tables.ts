import {DEFAULT_ENSURE_TIMEOUT_MS} from '../../client/ensure/default-timeout.js'
import {SHELLS} from '../../client/shell-init/shells.js'
import {SUPERVISOR_SETTINGS} from '../../daemon/supervisor/config.js'
import {ON_UPGRADE, UPGRADE_POLICIES} from '../../ground/children/upgrade-policy.js'
import type {CommandTable} from './table.js'

// The flag table of every command (format: src/cli/flags/table.ts). The fast path parses with
// these, so nothing imported here may load oclif or a command's body.

const json = {type: 'boolean', description: 'print the result as JSON'} as const
const SERVER_CHOICE = 'auto (codex on PATH, else built-in), builtin, codex, or a command'
const SHELL_ARG = {description: 'the shell', options: SHELLS, required: true} as const
/** How long `start` and `restart` wait for the app-server to answer initialize. */
const readyTimeout = {type: 'integer', min: 1, default: DEFAULT_ENSURE_TIMEOUT_MS, description: 'milliseconds to wait for the app-server to answer initialize'} as const

/** `start|restart --takeover`: win the home back from codex's managed daemon or a codexd orphan. */
const takeover = {type: 'boolean', description: "when codex's managed daemon or an orphaned codexd app-server serves the home, stop it and serve the home with codexd (docs/codex-daemon.md)"} as const
const force = {type: 'boolean', description: 'with --takeover: also end a server started by hand whose socket and home are this home'} as const

export const START = {
  id: 'start',
  flags: {
    server: {type: 'string', description: `which app-server a new supervisor runs: ${SERVER_CHOICE} (default: $CODEXD_SERVER, else auto)`},
    timeout: readyTimeout,
    json,
    takeover,
    force,
    // No default: absent, a running supervisor's policy is not contradicted (no warning) and a new one takes its own default.
    'on-upgrade': {type: 'string', options: UPGRADE_POLICIES, env: ON_UPGRADE.env, description: `${ON_UPGRADE.description}; applies when a supervisor starts (default: $${ON_UPGRADE.env}, else ${ON_UPGRADE.default})`},
  },
} as const satisfies CommandTable

export const STATUS = {
  id: 'status',
  flags: {
    json: {type: 'boolean', description: 'print the stable JSON report (docs/supervisor.md)'},
    timeout: {type: 'integer', min: 1, default: 5000, description: 'milliseconds to wait for the supervisor to answer'},
    watch: {type: 'boolean', char: 'w', description: 'keep asking until Ctrl-C: redrawn in place on a terminal; with --json one JSON document per line per change'},
    interval: {type: 'integer', min: 100, description: 'with --watch: milliseconds between asks (default 1000)'},
  },
} as const satisfies CommandTable

/** The stop grace: the supervisor's own setting (its default, bound and variable), as a flag. */
const grace = SUPERVISOR_SETTINGS.stopGraceMs

export const STOP = {
  id: 'stop',
  flags: {grace, json},
} as const satisfies CommandTable

export const RESTART = {
  id: 'restart',
  flags: {
    server: {type: 'string', description: `restart the supervisor with this app-server choice: ${SERVER_CHOICE}`},
    grace,
    timeout: readyTimeout,
    json,
    takeover,
    force,
  },
} as const satisfies CommandTable

export const RUN = {
  id: 'run',
  flags: {
    server: {type: 'string', description: `which app-server to run: ${SERVER_CHOICE} (default: $CODEXD_SERVER, else auto)`},
    daemon: {type: 'boolean', hidden: true, description: 'started by codexd start: log only to the log file'},
    'on-upgrade': ON_UPGRADE,
  },
} as const satisfies CommandTable

export const LOGS = {
  id: 'logs',
  flags: {
    follow: {type: 'boolean', char: 'f', description: 'keep printing what is appended (follows rotation) until interrupted'},
    lines: {type: 'integer', char: 'n', min: 0, default: 50, description: 'how many lines (or events) to show first; 0 for all lines'},
    events: {type: 'boolean', description: 'list recorded events instead of the log (with -f: and each new one)'},
    json: {type: 'boolean', description: 'with --events: one JSON object per event'},
  },
} as const satisfies CommandTable

export const PROXY = {
  id: 'proxy',
  flags: {
    sock: {type: 'string', description: 'socket to attach to (default: the app-server socket of CODEX_HOME)'},
    autostart: {type: 'boolean', description: 'start the supervisor (and its app-server) when nothing answers; refused under CODEXD_NO_SPAWN=1'},
    server: {type: 'string', description: `with --autostart: the app-server a newly started supervisor runs: ${SERVER_CHOICE}`},
    'wait-timeout': {type: 'integer', min: 0, default: 30_000, description: 'milliseconds to wait for an absent or refusing socket (0: one attempt)'},
    jsonl: {type: 'boolean', description: 'newline-delimited JSON-RPC on stdio instead of raw bytes'},
  },
} as const satisfies CommandTable

export const APP_SERVER = {
  id: 'app-server',
  flags: {
    listen: {type: 'string', default: 'stdio://', description: 'stdio://, unix:// (the control socket of CODEX_HOME) or unix://PATH'},
    'lock-timeout': {type: 'integer', min: 0, default: 30_000, description: 'milliseconds to wait for the startup lock'},
  },
} as const satisfies CommandTable

export const SHELL_INIT = {
  id: 'shell-init',
  flags: {
    write: {type: 'boolean', description: 'write the snippet to ~/.config/codexd/init.SHELL instead of printing it'},
  },
  args: {shell: SHELL_ARG},
} as const satisfies CommandTable

export const SMOKE = {
  id: 'smoke',
  flags: {
    server: {type: 'string', default: 'auto', description: `the app-server to test: ${SERVER_CHOICE}`},
    home: {type: 'string', description: 'CODEX_HOME to use (created if missing; refused while a supervisor runs there); default: a fresh temporary one, removed afterwards'},
    json: {type: 'boolean', description: 'print the report as JSON (no progress lines)'},
    junit: {type: 'string', description: 'also write the report as JUnit XML to this file'},
    timeout: {type: 'integer', min: 1000, default: 60_000, description: 'milliseconds each start or recovery may take'},
    storm: {type: 'integer', min: 2, default: 16, description: 'how many concurrent codexd start the storm runs'},
  },
} as const satisfies CommandTable

const platform = {type: 'string', options: ['linux', 'darwin'], description: 'generate for linux (systemd) or darwin (launchd) instead of this machine; the manager is then not run'} as const
const dryRun = {type: 'boolean', description: 'print what would be written and run; change nothing'} as const
const home = {type: 'string', description: 'the CODEX_HOME to serve (default: $CODEX_HOME, else ~/.codex); on systemd, runs it as the instance codexd@<home>.service of the template codexd@.service'} as const

export const SERVICE_INSTALL = {
  id: 'service install',
  flags: {
    server: {type: 'string', description: `bake CODEXD_SERVER into the service: ${SERVER_CHOICE} (default: $CODEXD_SERVER, else auto)`},
    'on-upgrade': {type: 'string', options: UPGRADE_POLICIES, description: `write --on-upgrade into the service's codexd run: ${UPGRADE_POLICIES.join(', ')} (default: $${ON_UPGRADE.env}, else the supervisor's default, ${ON_UPGRADE.default})`},
    'dry-run': dryRun,
    platform,
    home,
    json,
  },
} as const satisfies CommandTable

export const SERVICE_UNINSTALL = {id: 'service uninstall', flags: {'dry-run': dryRun, platform, home, json}} as const satisfies CommandTable

export const SERVICE_STATUS = {id: 'service status', flags: {platform, home, json}} as const satisfies CommandTable

export const VERSION = {id: 'version', flags: {}} as const satisfies CommandTable

export const COMPLETION = {id: 'completion', flags: {}, args: {shell: SHELL_ARG}} as const satisfies CommandTable

export const LIST = {
  id: 'list',
  flags: {
    json: {type: 'boolean', description: 'print {"homes": [...]} (schemas/list.json)'},
    timeout: {type: 'integer', min: 1, default: 2000, description: 'milliseconds to wait for each supervisor to answer'},
  },
} as const satisfies CommandTable

export const DOCTOR = {
  id: 'doctor',
  flags: {
    json: {type: 'boolean', description: 'print the stable JSON report (docs/doctor.md)'},
    strict: {type: 'boolean', description: 'exit 1 on warnings too'},
  },
} as const satisfies CommandTable

export const LAUNCHER = {
  id: 'launcher',
  flags: {
    write: {type: 'boolean', description: 'write the launcher to $XDG_DATA_HOME/codexd/bin/codexd instead of printing it'},
    path: {type: 'boolean', description: 'print only the launcher path (not with --write)'},
  },
} as const satisfies CommandTable

export const CODEX_CONFIG_DAEMON_AUTO_START = {
  id: 'codex-config daemon-auto-start',
  flags: {json},
  args: {state: {description: 'on or off (without it: show the current state)', options: ['on', 'off']}},
} as const satisfies CommandTable
