import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {finished, runCodexd, spawnCodexd, waitFor} from '../src/ground/harness/processes.js'
import {tempHome} from '../src/ground/harness/home.js'
import {startAndTrack, supervisedHome} from './support/supervisor-home.js'

/** Collects a running command's stdout lines as they arrive. */
function lines(child: ReturnType<typeof spawnCodexd>): string[] {
  const seen: string[] = []
  let buffer = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk
    const parts = buffer.split('\n')
    buffer = parts.pop()!
    seen.push(...parts)
  })
  return seen
}

describe('status --watch --json and logs --events --follow', {timeout: 120_000}, () => {
  const home = supervisedHome('builtin')
  before(() => startAndTrack(home))
  after(() => home.cleanup())

  it('status --watch --json: one JSON document per change (not per ask), ended by SIGINT with exit 0', async () => {
    const watch = spawnCodexd(['status', '--watch', '--json', '--interval', '100'], home.env)
    const seen = lines(watch)
    await waitFor(() => seen.length >= 1 || undefined, {timeoutMs: 20_000, what: 'the first report'})
    const first = JSON.parse(seen[0])
    assert.equal(first.state, 'running')
    // Idle for many intervals: the clocks move, nothing else does, so nothing more is printed.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.equal(seen.length, 1, `an idle home printed ${seen.length} documents`)
    assert.equal((await runCodexd(['restart'], home.env)).code, 0)
    await waitFor(() => seen.some((line) => JSON.parse(line).child?.pid !== first.child.pid && JSON.parse(line).state === 'running') || undefined, {timeoutMs: 20_000, what: 'a report with the new child'})
    for (const [index, line] of seen.entries()) if (index > 0) assert.notEqual(line, seen[index - 1])
    watch.kill('SIGINT')
    const ended = await finished(watch)
    assert.equal(ended.code, 0, ended.stderr)
  })

  it('logs --events -f: the newest N, then each event as it is recorded; ids only ever grow', async () => {
    const follow = spawnCodexd(['logs', '--events', '-f', '-n', '1', '--json'], home.env)
    const seen = lines(follow)
    await waitFor(() => seen.length >= 1 || undefined, {timeoutMs: 20_000, what: 'the newest event'})
    assert.equal((await runCodexd(['restart'], home.env)).code, 0)
    const events = await waitFor(() => {
      const parsed = seen.map((line) => JSON.parse(line) as {id: number; kind: string; spawnId: number | null})
      return parsed.some((event) => event.kind === 'ready' && event.id > parsed[0].id) ? parsed : undefined
    }, {timeoutMs: 20_000, what: 'the ready event of the restarted child'})
    const ids = events.map((event) => event.id)
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b))
    assert.equal(new Set(ids).size, ids.length, 'no event printed twice')
    assert.deepEqual(ids.slice(1), Array.from({length: ids.length - 1}, (_, index) => ids[0] + index + 1), 'no event skipped')
    assert.ok(events.some((event) => event.kind === 'exit') && events.some((event) => event.kind === 'restart'))
    follow.kill('SIGINT')
    assert.equal((await finished(follow)).code, 0)
  })

  it('logs --json without --events is refused (exit 2), naming the form that works', async () => {
    const refused = await runCodexd(['logs', '--json'], home.env)
    assert.equal(refused.code, 2)
    assert.equal(refused.stdout, '')
    assert.match(refused.stderr, /^codexd: --json applies to recorded events only: use codexd logs --events --json/)
  })

  it('status --interval without --watch is refused (exit 2)', async () => {
    const refused = await runCodexd(['status', '--interval', '500'], home.env)
    assert.equal(refused.code, 2, refused.stderr)
  })
})

describe('status --watch --json names who else serves the socket, as plain status --json does', {timeout: 120_000}, () => {
  const home = tempHome('codexd-watch-owner-')
  after(() => home.remove())

  it('a built-in app-server started by hand: the same listenerOwner (pid, kind) in both', async () => {
    const server = spawnCodexd(['app-server', '--listen', 'unix://'], home.env)
    try {
      const plain = await waitFor(async () => {
        const answer = await runCodexd(['status', '--json'], home.env)
        const report = JSON.parse(answer.stdout)
        return report.listenerOwner ? {answer, report} : undefined
      }, {timeoutMs: 20_000, what: 'status --json naming the listener'})
      assert.equal(plain.answer.code, 6)
      assert.equal(plain.report.listenerOwner.pid, server.pid)
      const watch = spawnCodexd(['status', '--watch', '--json', '--interval', '100'], home.env)
      try {
        const seen = lines(watch)
        await waitFor(() => seen.length >= 1 || undefined, {timeoutMs: 20_000, what: 'the first report'})
        const watched = JSON.parse(seen[0])
        assert.deepEqual([watched.listenerOwner?.pid, watched.listenerOwner?.kind], [server.pid, plain.report.listenerOwner.kind])
      } finally {
        watch.kill('SIGINT')
      }
      assert.equal((await finished(watch)).code, 0)
    } finally {
      server.kill('SIGTERM')
      await finished(server)
    }
  })
})
