import {CODEXD_VERSION} from '../../ground/product.js'
import {GENERATED_MARKER} from '../install/generated-file.js'
import type {Launcher} from '../install/launcher.js'
import {quoteWord} from './quote.js'
import type {Shell} from './shells.js'

/** The variable that turns autostart off: any value other than empty or `0`. */
export const OPT_OUT_VARIABLE = 'CODEXD_NO_AUTOSTART'

/**
 * The arguments the snippet passes to codexd: `start`, the idempotent ensure path. All output
 * goes to /dev/null (the shell prints nothing); the supervisor keeps its own log.
 */
const START_ARGS = 'start'

function header(shell: Shell): string {
  return [
    `# ${GENERATED_MARKER}: codexd ${CODEXD_VERSION} shell-init ${shell}. Regenerate with \`codexd shell-init ${shell} --write\`.`,
    '# In interactive shells only, starts the codexd supervisor for $CODEX_HOME in the background,',
    '# outside the job table, silently. It never runs node in the foreground and never fails the shell.',
    `# Opt out: ${shell === 'fish' ? `set -gx ${OPT_OUT_VARIABLE} 1` : `export ${OPT_OUT_VARIABLE}=1`}`,
  ].join('\n')
}

/*
 * bash and zsh: `( cmd & )` forks a subshell that starts cmd in the background and exits at
 * once, so cmd is never a job of the interactive shell (no "[1] pid", no "Done" message, no
 * SIGHUP from the shell at exit). stdin/stdout/stderr are detached from the terminal so a
 * background read never stops it (SIGTTIN) and nothing reaches the prompt.
 */
function posixSnippet(shell: 'bash' | 'zsh', launcher: Launcher): string {
  const interactive = shell === 'bash' ? '$- == *i*' : '-o interactive'
  const node = quoteWord(shell, launcher.node)
  const entry = quoteWord(shell, launcher.entry)
  // bash reads ~/.bashrc before it turns job control on, so without `set -m` the launch would
  // stay in the shell's own (foreground) process group: a Ctrl-C at the prompt or a quick
  // exit (SIGHUP) would kill it. zsh already gives it its own group (and rejects set -m there).
  const ownGroup = shell === 'bash' ? 'set -m 2>/dev/null; ' : ''
  return `${header(shell)}
if [[ ${interactive} && \${${OPT_OUT_VARIABLE}:-0} == 0 && ( -z \${CODEX_HOME-} || -d \${CODEX_HOME-} ) ]]; then
  if [[ -x ${node} && -f ${entry} ]]; then
    ( ${ownGroup}${node} ${entry} ${START_ARGS} </dev/null >/dev/null 2>&1 & )
  elif command -v codexd >/dev/null 2>&1; then
    ( ${ownGroup}command codexd ${START_ARGS} </dev/null >/dev/null 2>&1 & )
  fi
fi
`
}

/*
 * fish: `cmd &` then `disown` removes the job at once, so fish never prints "Job 1 has ended".
 * fish reads config.fish before job control is on, which would leave cmd in the shell's own
 * (foreground) process group, exposed to Ctrl-C and to the terminal's SIGHUP: full job control
 * for that one launch gives it its own group; the previous mode is restored.
 */
function fishSnippet(launcher: Launcher): string {
  const node = quoteWord('fish', launcher.node)
  const entry = quoteWord('fish', launcher.entry)
  return `${header('fish')}
if status is-interactive; and contains -- "$${OPT_OUT_VARIABLE}" '' 0; and begin; test -z "$CODEX_HOME"; or test -d "$CODEX_HOME"; end
    set -l codexd_job_control interactive
    status is-full-job-control; and set codexd_job_control full
    status is-no-job-control; and set codexd_job_control none
    status job-control full
    if test -x ${node} -a -f ${entry}
        ${node} ${entry} ${START_ARGS} </dev/null >/dev/null 2>&1 &
        disown $last_pid 2>/dev/null
    else if command -sq codexd
        command codexd ${START_ARGS} </dev/null >/dev/null 2>&1 &
        disown $last_pid 2>/dev/null
    end
    status job-control $codexd_job_control
end
`
}

/** The profile snippet for `shell`, running codexd through `launcher` (absolute paths). */
export function renderSnippet(shell: Shell, launcher: Launcher): string {
  return shell === 'fish' ? fishSnippet(launcher) : posixSnippet(shell, launcher)
}
