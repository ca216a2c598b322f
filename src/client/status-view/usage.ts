import {readFileSync} from 'node:fs'

/** What a process costs, read from Linux /proc. */
export interface ProcessUsage {
  /** Resident set size in bytes (VmRSS). */
  readonly rssBytes: number
  /** User plus system CPU time since it started, in milliseconds. */
  readonly cpuMs: number
  /** cpuMs over its lifetime: the average share of one core, in percent. */
  readonly cpuPercent: number
}

/** Clock ticks per second of /proc's times (USER_HZ, 100 on every Linux Node supports). */
const TICKS_PER_SECOND = 100

/**
 * The memory and CPU of `pid` from /proc/PID/status and /proc/PID/stat; undefined when they cannot
 * be read (the process is gone, another user's, or no /proc: macOS).
 */
export function processUsage(pid: number): ProcessUsage | undefined {
  try {
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces and parentheses: count fields from its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const cpuTicks = Number(fields[11]) + Number(fields[12])
    const ageTicks = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * TICKS_PER_SECOND - Number(fields[19])
    if (!rss || !Number.isFinite(cpuTicks)) return undefined
    return {rssBytes: Number(rss[1]) * 1024, cpuMs: (cpuTicks * 1000) / TICKS_PER_SECOND, cpuPercent: ageTicks > 0 ? (cpuTicks / ageTicks) * 100 : 0}
  } catch {
    return undefined
  }
}

/** `41.2 MiB, cpu 1.3s (0.4% avg)`: the human form of a process's usage. */
export function describeUsage(usage: ProcessUsage | undefined): string | undefined {
  if (!usage) return undefined
  return `${(usage.rssBytes / 1024 / 1024).toFixed(1)} MiB, cpu ${(usage.cpuMs / 1000).toFixed(1)}s (${usage.cpuPercent.toFixed(1)}% avg)`
}
