// Outbound postbacks: enqueue N deliveries, then drain them into a local receiver with
// `backtrack worker` processes; beside it, the same client (AttemptSender, one undici pool)
// sending the same requests at the same concurrency straight from memory: the physical limit.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { sql } from 'kysely'
import { type Config, loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { WORKER_DEFAULTS } from '../src/delivery/delivery-worker.ts'
import { type DeliveryEvent, enqueueDeliveries } from '../src/delivery/index.ts'
import { AttemptSender, type OutboundRequest } from '../src/delivery/send-attempt.ts'
import { startServer } from '../src/main.ts'
import { CpuMeter } from './lib/cpu.ts'
import { BackendPids } from './lib/postgres-backends.ts'
import {
  adminQuery,
  BENCH_ADMIN_KEY,
  BENCH_PG_URL,
  type BenchEngine,
  peakRssMb,
  type ServerProcess,
  startBaseline,
} from './lib/processes.ts'

const COUNT = Number(process.env.BENCH_DELIVERIES ?? 50_000)
// Enough endpoints that the per-endpoint limit does not cap the worker below its concurrency.
const ENDPOINTS = Math.ceil(WORKER_DEFAULTS.concurrency / WORKER_DEFAULTS.endpointConcurrency)
const CONCURRENCY = WORKER_DEFAULTS.concurrency
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as BenchEngine[]
// Worker process counts to time on PostgreSQL (SQLite has one writer: one worker).
const PG_WORKERS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number)
// e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the worker processes.
const WORKER_NODE_OPTIONS = process.env.BENCH_WORKER_NODE_OPTIONS ?? ''
const BIN = join(import.meta.dirname, '../bin/backtrack.js')
// Milliseconds the receiver waits before answering: 0 measures CPU cost; affiliates' servers
// across the internet answer in tens to hundreds of ms, where concurrency sets the pace instead.
const RECEIVER_DELAY_MS = Number(process.env.BENCH_RECEIVER_DELAY_MS ?? 0)

interface Row {
  name: string
  seconds: number
  /** CPU seconds used while draining: sender or worker processes, receiver, database server. */
  cpu: { sender: number; receiver: number; database: number; machineIdleShare: number }
  /** The largest peak RSS of the worker processes, in MB; none for the in-memory baseline. */
  peakRssMb?: number
}

export async function run(): Promise<void> {
  const receiver = await startBaseline('json', RECEIVER_DELAY_MS)
  const rows: Row[] = []
  try {
    rows.push({ name: 'same client from memory', ...(await fromMemory(receiver)) })
    for (const engine of ENGINES) {
      for (const workers of engine === 'postgres' ? PG_WORKERS : [1]) {
        const name = `backtrack worker ×${workers} (${engine})`
        rows.push({ name, ...(await drain(engine, workers, receiver)) })
      }
    }
  } finally {
    await receiver.stop()
  }
  const base = rows[0]!
  console.log(
    `\ndelivery: ${COUNT} deliveries to ${ENDPOINTS} endpoints on a local receiver answering after ${RECEIVER_DELAY_MS} ms, concurrency ${CONCURRENCY} per process (target ≥ 0.5× the same client from memory; two PostgreSQL workers faster than one)`,
  )
  for (const row of rows) {
    const rate = Math.round(COUNT / row.seconds)
    console.log(
      `  ${row.name.padEnd(32)} ${String(rate).padStart(7)} deliveries/s  drain ${row.seconds.toFixed(2)} s  ratio ${(base.seconds / row.seconds).toFixed(2)}×${row.peakRssMb === undefined ? '' : `  peak RSS ${row.peakRssMb} MB`}`,
    )
  }
  console.log(
    '\n  CPU µs per delivery (sender or worker / receiver / database server), machine idle share:',
  )
  const perDelivery = (seconds: number) => String(Math.round((seconds * 1e6) / COUNT)).padStart(4)
  for (const { name, cpu } of rows) {
    console.log(
      `  ${name.padEnd(32)} ${perDelivery(cpu.sender)} / ${perDelivery(cpu.receiver)} / ${perDelivery(cpu.database)} µs  idle ${Math.round(cpu.machineIdleShare * 100)}%`,
    )
  }
}

function requestFor(receiverUrl: string, i: number): OutboundRequest {
  const endpoint = i % ENDPOINTS
  const change = Math.floor(i / ENDPOINTS) + 1
  const eventId = `evt_${change}_${endpoint + 1}`
  return {
    method: 'GET',
    url: `${receiverUrl}/pb/${endpoint}?click=click-${change}&payout=1.75&event=${eventId}`,
    body: null,
    content_type: null,
    event_id: eventId,
    secrets: [],
  }
}

/** The physical limit: the same sender, the same requests and concurrency, no database. */
async function fromMemory(receiver: ServerProcess): Promise<Omit<Row, 'name'>> {
  const sender = new AttemptSender({ allowPrivateTargets: true })
  const requests = Array.from({ length: COUNT }, (_, i) => requestFor(receiver.url, i))
  let next = 0
  let failed = 0
  const senderMeter = new CpuMeter(() => [process.pid])
  const receiverMeter = new CpuMeter(() => [receiver.pid])
  await Promise.all([senderMeter.start(), receiverMeter.start()])
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const result = await sender.send(requests[next++]!)
        if (result.outcome !== 'delivered') failed++
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const [senderCpu, receiverCpu] = await Promise.all([senderMeter.stop(), receiverMeter.stop()])
  await sender.close()
  if (failed > 0) throw new Error(`${failed} baseline requests failed`)
  return {
    seconds,
    cpu: {
      sender: senderCpu.seconds,
      receiver: receiverCpu.seconds,
      database: 0,
      machineIdleShare: senderCpu.machineIdleShare,
    },
  }
}

/** Enqueues COUNT deliveries with no worker running, then times `workers` processes draining them. */
async function drain(
  engine: BenchEngine,
  workers: number,
  receiver: ServerProcess,
): Promise<Omit<Row, 'name'>> {
  const database = await createDatabase(engine)
  const backends =
    database.config.engine === 'postgres' ? new BackendPids(database.config.url) : undefined
  try {
    const config: Config = {
      ...loadConfig({
        BACKTRACK_ADMIN_KEY: BENCH_ADMIN_KEY,
        BACKTRACK_LOG_LEVEL: 'silent',
        // The receiver is on loopback: endpoints there are refused when saved otherwise.
        BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
      }),
      host: '127.0.0.1',
      port: 0,
      database: database.config,
    }
    const ids = await createCatalog(config, receiver.url)
    await enqueue(config, ids)
    const children = Array.from({ length: workers }, () => startWorker(database.env))
    await Promise.all(children.map((child) => child.started))
    const meters = {
      sender: new CpuMeter(() => children.map((child) => child.pid)),
      receiver: new CpuMeter(() => [receiver.pid]),
      database: new CpuMeter(() => backends?.pids() ?? []),
    }
    await Promise.all(Object.values(meters).map((meter) => meter.start()))
    const started = performance.now()
    await waitUntilDrained(config)
    const seconds = (performance.now() - started) / 1000
    const [sender, receiverCpu, databaseCpu] = await Promise.all(
      Object.values(meters).map((meter) => meter.stop()),
    )
    const peakRss = Math.max(...children.map((child) => peakRssMb(child.pid)))
    await Promise.all(children.map((child) => child.stop()))
    return {
      seconds,
      peakRssMb: peakRss,
      cpu: {
        sender: sender!.seconds,
        receiver: receiverCpu!.seconds,
        database: databaseCpu!.seconds,
        machineIdleShare: sender!.machineIdleShare,
      },
    }
  } finally {
    await backends?.close()
    await database.drop()
  }
}

async function createCatalog(config: Config, receiverUrl: string) {
  const server = await startServer(config, { logger: false, print: () => {} })
  const call = async (path: string, body: unknown) => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`${path} → ${response.status} ${await response.text()}`)
    return (await response.json()) as { id: string }
  }
  try {
    const advertiser = await call('/advertisers', { name: 'Bench' })
    const offer = await call('/offers', {
      advertiser_id: advertiser.id,
      name: 'Bench',
      destination_url: 'https://shop.example/',
      revenue: 1,
      payout: 1,
    })
    const affiliate = await call('/affiliates', { name: 'Bench' })
    for (let i = 0; i < ENDPOINTS; i++) {
      await call('/postbacks', {
        affiliate_id: affiliate.id,
        url: `${receiverUrl}/pb/${i}?click={click_id}&payout={payout}&event={event_id}`,
      })
    }
    return { offerId: Number(offer.id), affiliateId: Number(affiliate.id) }
  } finally {
    await server.close()
  }
}

async function enqueue(config: Config, ids: { offerId: number; affiliateId: number }) {
  const database = openDatabase(config.database)
  const events = Math.ceil(COUNT / ENDPOINTS)
  try {
    for (let first = 1; first <= events; first += 500) {
      await database.db.transaction().execute(async (tx) => {
        for (let change = first; change < first + 500 && change <= events; change++) {
          const event: DeliveryEvent = {
            changeId: change,
            conversionId: change,
            ...ids,
            goal: 'default',
            status: 'approved',
            occurredAt: Date.now(),
            macros: { click_id: `click-${change}`, payout: '1.75' },
          }
          await enqueueDeliveries(tx, event)
        }
      })
    }
    // A production deliveries table is analyzed by autovacuum within a minute of its first rows.
    // This one was created and filled seconds ago and has no statistics, so PostgreSQL would
    // guess it tiny and sort the whole backlog on every claim instead of walking the due-index.
    if (database.engine === 'postgres') await sql`analyze deliveries`.execute(database.db)
  } finally {
    await database.close()
  }
}

async function waitUntilDrained(config: Config) {
  const database = openDatabase(config.database)
  try {
    // Whether any is left, not how many: counting a 50,000-row backlog every 50 ms would take a
    // good share of a core from the database and the worker being measured.
    for (;;) {
      const left = await database.db
        .selectFrom('deliveries')
        .select('id')
        .where('state', '=', 'pending')
        .limit(1)
        .executeTakeFirst()
      if (left === undefined) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const failed = await database.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '!=', 'delivered')
      .executeTakeFirstOrThrow()
    if (Number(failed.n) > 0) throw new Error(`${failed.n} deliveries were not delivered`)
  } finally {
    await database.close()
  }
}

function startWorker(env: Record<string, string>) {
  // Through its shebang, with the V8 flags it ships with, as `npx backtrack worker` runs.
  const child: ChildProcess = spawn(BIN, ['worker'], {
    env: {
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
      BACKTRACK_LOG_LEVEL: 'warn',
      ...(WORKER_NODE_OPTIONS ? { NODE_OPTIONS: WORKER_NODE_OPTIONS } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const started = new Promise<void>((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk
      if (/delivery worker \S+ started/.test(output)) resolve()
    })
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${output}`)))
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return {
    pid: child.pid!,
    started,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    },
  }
}

async function createDatabase(
  engine: BenchEngine,
): Promise<{ config: Config['database']; env: Record<string, string>; drop: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'backtrack-bench-'))
    const path = join(dir, 'bench.db')
    return {
      config: { engine: 'sqlite' as const, path },
      env: { BACKTRACK_DB: path },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  const name = `bt_bench_${randomBytes(4).toString('hex')}`
  await adminQuery(`create database ${name}`)
  const url = new URL(BENCH_PG_URL)
  url.pathname = `/${name}`
  return {
    config: { engine: 'postgres' as const, url: url.href },
    env: { DATABASE_URL: url.href },
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  }
}
