import {styleText} from 'node:util'

/** How a state reads at a glance: green, yellow, red, or no colour. */
export type Tone = 'good' | 'warn' | 'bad' | 'plain'

/** Colours and symbols for one output stream, or plain text when it gets none. */
export interface Style {
  /** True when the stream gets colours (a TTY without NO_COLOR, or FORCE_COLOR). */
  readonly enabled: boolean
  /** A state word, with its symbol and colour when enabled. */
  state(label: string, tone: Tone): string
  /** Secondary text (labels, timestamps). */
  dim(text: string): string
}

const COLOURS = {good: 'green', warn: 'yellow', bad: 'red'} as const
const SYMBOLS = {good: '●', warn: '◐', bad: '✖', plain: '○'} as const

/**
 * The style for `stream`. Node's own `util.styleText` decides (the stream is a TTY, `NO_COLOR`,
 * `FORCE_COLOR`, `TERM=dumb`), so the status fast path loads no colour library.
 */
export function styleFor(stream: NodeJS.WritableStream): Style {
  const enabled = styleText('green', 'x', {stream}) !== 'x'
  if (!enabled) return {enabled, state: (label) => label, dim: (text) => text}
  return {
    enabled,
    state: (label, tone) => (tone === 'plain' ? `${SYMBOLS.plain} ${label}` : styleText(COLOURS[tone], `${SYMBOLS[tone]} ${label}`, {stream})),
    dim: (text) => styleText('dim', text, {stream}),
  }
}

/** The tone of a displayed state: serving is green, on its way or waiting is yellow, failed is red. */
export function toneOf(state: string): Tone {
  switch (state) {
    case 'running':
      return 'good'
    case 'starting':
    case 'backoff':
    case 'stopping':
    case 'unmanaged':
    case 'stopped':
      return 'warn'
    case 'crash-loop':
    case 'unresponsive':
    case 'unreachable':
    case 'error':
      return 'bad'
    default:
      return 'plain'
  }
}
