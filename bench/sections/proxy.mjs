/**
 * Rows 5 and 6: the proxy against a direct socket connection (and against `codex app-server
 * proxy` when installed, and `socat - UNIX-CONNECT:` when on PATH: a minimal C relay, the floor
 * of any stdio relay), all on the same built-in app-server of a running supervisor:
 * - bulk: `codexd/echo` requests with a 1 MiB payload, 4 in flight, MiB of payload echoed per
 *   second (each MiB crosses the proxy twice); median of interleaved rounds;
 * - round trip: sequential small `codexd/echo` requests, p50 and p99 (rounds interleaved, pooled);
 * - raw bytes (informational): a plain unix-socket server streams 256 MiB to the client, read
 *   directly vs through each proxy (`--sock`): the proxy's own copy cost without a WebSocket
 *   server or client in the way.
 */
import {once} from 'node:events'
import {connect, createServer} from 'node:net'
import {join} from 'node:path'
import {connectPathFor} from '../../dist/ground/home/socket-path.js'
import {startSupervisor, tempHome} from '../lib/homes.mjs'
import {CODEXD_BIN, run, spawnTracked} from '../lib/procs.mjs'
import {Rpc} from '../lib/rpc.mjs'
import {fmt, median, msSince, quantile, ratio} from '../lib/stats.mjs'

const THROUGHPUT_GOAL = 0.8
const RTT_GOAL = 1.5
const RTT_WARMUP = 2000
const MIB = 1024 * 1024

export async function proxyBench({codex, log, bulkMiB, rttCount, rounds}) {
  const home = tempHome('codexd-bench-proxy-')
  await startSupervisor(home)
  const socket = home.paths.appServerSocket
  // Each proxy's command line for a socket (codexd's default socket is the home's own).
  const proxies = {codexd: (sock) => [process.execPath, [CODEXD_BIN, 'proxy', ...(sock ? ['--sock', sock] : [])]]}
  if (codex) proxies.codex = (sock = connectPathFor(socket)) => [codex.bin, ['app-server', 'proxy', '--sock', sock]]
  if ((await run('socat', ['-V']).catch(() => ({code: 1}))).code === 0) proxies.socat = (sock = connectPathFor(socket)) => ['socat', ['-', `UNIX-CONNECT:${sock}`]]
  const peers = {codex: `codex ${codex?.version} app-server proxy`, socat: 'socat (C relay)'}

  const clients = {direct: await Rpc.direct(socket)}
  for (const [name, command] of Object.entries(proxies)) {
    const [file, args] = command()
    clients[name] = await Rpc.throughChild(spawnTracked(file, args, {env: home.env, stdio: ['pipe', 'pipe', 'ignore']}))
  }
  for (const client of Object.values(clients)) await client.initialize()

  log(`proxy bulk: ${rounds} rounds x ${bulkMiB} MiB of 1 MiB echoes per client (${Object.keys(clients).join(', ')})`)
  const bulk = Object.fromEntries(Object.keys(clients).map((name) => [name, []]))
  for (const client of Object.values(clients)) await echoBulk(client, 8) // warm-up
  for (let round = 0; round < rounds; round++) for (const [name, client] of Object.entries(clients)) bulk[name].push(await echoBulk(client, bulkMiB))

  log(`proxy round trip: ${rttCount} sequential echoes per client after ${RTT_WARMUP} to warm up, in ${rounds} interleaved rounds`)
  const rtt = Object.fromEntries(Object.keys(clients).map((name) => [name, []]))
  // Steady state: a Node relay keeps tiering up its code over its first ~2,000 small messages, and
  // those compilations show in its p99 (200 warm-up round trips: p99 1.6-3.1x direct; 2,000:
  // 1.5-1.8x, with p50 unchanged). Every client gets the same warm-up.
  for (const client of Object.values(clients)) await roundTrips(client, RTT_WARMUP)
  for (let round = 0; round < rounds; round++) for (const [name, client] of Object.entries(clients)) rtt[name].push(...(await roundTrips(client, Math.ceil(rttCount / rounds))))
  for (const client of Object.values(clients)) await client.close()

  log(`proxy raw bytes: ${rounds} rounds x 256 MiB from a plain socket server`)
  const raw = await rawStream(home, proxies, rounds)

  const rows = []
  const direct = median(bulk.direct)
  const ours = median(bulk.codexd)
  const others = Object.keys(proxies).filter((name) => name !== 'codexd')
  rows.push({what: 'proxy bulk echo throughput, codexd proxy vs direct', codexd: fmt(ours, 'MiB/s', 0), baseline: `${fmt(direct, 'MiB/s', 0)} direct`, ratio: ratio(ours, direct), goal: `>= ${THROUGHPUT_GOAL}x`, met: ratio(ours, direct) >= THROUGHPUT_GOAL})
  for (const name of others) rows.push({what: `proxy bulk echo throughput, ${peers[name]} vs direct`, codexd: fmt(median(bulk[name]), 'MiB/s', 0), baseline: `${fmt(direct, 'MiB/s', 0)} direct`, ratio: ratio(median(bulk[name]), direct), goal: 'peer', met: undefined})
  for (const name of ['codexd', ...others]) {
    const label = name === 'codexd' ? 'codexd proxy' : peers[name]
    rows.push({what: `raw 256 MiB stream, ${label} vs direct`, codexd: fmt(median(raw[name]), 'MiB/s', 0), baseline: `${fmt(median(raw.direct), 'MiB/s', 0)} direct`, ratio: ratio(median(raw[name]), median(raw.direct)), goal: name === 'codexd' ? 'info' : 'peer', met: undefined})
  }
  for (const [label, q] of [['p50', 0.5], ['p99', 0.99]]) {
    const value = quantile(rtt.codexd, q)
    const base = quantile(rtt.direct, q)
    rows.push({what: `echo round trip ${label}, codexd proxy vs direct (${rtt.codexd.length} requests)`, codexd: fmt(value, 'ms', 3), baseline: `${fmt(base, 'ms', 3)} direct`, ratio: ratio(value, base), goal: `<= ${RTT_GOAL}x`, met: ratio(value, base) <= RTT_GOAL})
    for (const name of others) rows.push({what: `echo round trip ${label}, ${peers[name]} vs direct`, codexd: fmt(quantile(rtt[name], q), 'ms', 3), baseline: `${fmt(base, 'ms', 3)} direct`, ratio: ratio(quantile(rtt[name], q), base), goal: 'peer', met: undefined})
  }
  return rows
}

/** MiB/s of payload echoed: `totalMiB` requests of 1 MiB each, 4 in flight. */
async function echoBulk(client, totalMiB) {
  const payload = 'x'.repeat(MIB)
  const start = process.hrtime.bigint()
  const inFlight = []
  for (let i = 0; i < totalMiB; i++) {
    inFlight.push(client.request('codexd/echo', {payload}).then(check))
    if (inFlight.length >= 4) await inFlight.shift()
  }
  await Promise.all(inFlight)
  return totalMiB / (msSince(start) / 1000)
}

/** Milliseconds of `count` sequential small echoes. */
async function roundTrips(client, count) {
  const times = []
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint()
    check(await client.request('codexd/echo', {i}))
    times.push(msSince(start))
  }
  return times
}

function check(answer) {
  if (answer.error || answer.result === undefined) throw new Error(`codexd/echo failed: ${JSON.stringify(answer.error)}`)
  return answer
}

/** MiB/s of a 256 MiB server-to-client stream, direct and through each proxy, per round. */
async function rawStream(home, proxies, rounds) {
  const total = 256
  const block = Buffer.alloc(MIB, 7)
  const path = join(home.home, 'raw.sock')
  let accepted
  const server = createServer((connection) => {
    accepted?.()
    connection.on('error', () => {})
    connection.once('data', () => {
      let sent = 0
      const push = () => {
        while (sent < total) {
          sent++
          if (!connection.write(block)) return void connection.once('drain', push)
        }
        connection.end()
      }
      push()
    })
  })
  server.listen(path)
  await once(server, 'listening')
  const result = Object.fromEntries(['direct', ...Object.keys(proxies)].map((name) => [name, []]))
  try {
    for (let round = 0; round < rounds; round++) {
      result.direct.push(await readAll(() => {
        const socket = connect(path)
        return {input: socket, output: socket, stop: () => socket.destroy()}
      }))
      for (const [name, command] of Object.entries(proxies)) {
        const [file, argv] = command(path)
        const connected = new Promise((resolve) => (accepted = resolve))
        const child = spawnTracked(file, argv, {env: home.env, stdio: ['pipe', 'pipe', 'ignore']})
        await connected // the proxy's own start-up is not part of the rate
        result[name].push(await readAll(() => ({input: child.stdout, output: child.stdin, stop: () => child.kill('SIGKILL')})))
      }
    }
  } finally {
    server.close()
  }
  return result

  /** Sends one byte, reads `total` MiB; MiB/s from the request to the last byte. */
  async function readAll(open) {
    const {input, output, stop} = open()
    let received = 0
    const done = new Promise((resolve, reject) => {
      input.on('data', (chunk) => {
        received += chunk.length
        if (received >= total * MIB) resolve()
      })
      input.once('error', reject)
      input.once('end', () => (received >= total * MIB ? resolve() : reject(new Error(`stream ended after ${received} bytes`))))
    })
    if (output.connecting) await once(output, 'connect')
    const start = process.hrtime.bigint()
    output.write('g')
    await done
    const ms = msSince(start)
    stop()
    return total / (ms / 1000)
  }
}
