import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { openDatabase } from '../src/db/database.ts'
import {
  adminQuery,
  BENCH_ADMIN_KEY,
  BENCH_PG_URL,
  type BenchEngine,
  startBacktrack,
} from './lib/processes.ts'
import { type GeneratedData, generateReportData } from './lib/report-data.ts'

const CLICKS = Number(process.env.BENCH_CLICKS ?? 10_000_000)
const CONVERSIONS = Number(process.env.BENCH_CONVERSIONS ?? 200_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 40)
const DAY_MS = 86_400_000
const KEEP_DIR = process.env.BENCH_KEEP_DIR

/** `npm run bench -- reports`: generate 90 days of traffic, then time 30-day reports over HTTP. */
export async function run(): Promise<void> {
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as BenchEngine[]
  for (const engine of engines) await benchEngine(engine)
}

async function benchEngine(engine: BenchEngine): Promise<void> {
  const kept = KEEP_DIR ? await keptDatabase(engine, KEEP_DIR) : undefined
  const server = await startBacktrack(engine, {}, kept?.env)
  const database = openDatabase(
    engine === 'sqlite'
      ? { engine, path: server.databaseEnv.BACKTRACK_DB! }
      : { engine, url: server.databaseEnv.DATABASE_URL! },
  )
  try {
    let data = kept?.data
    if (!data) {
      const started = performance.now()
      const generated = await generateReportData(database, {
        clicks: CLICKS,
        conversions: CONVERSIONS,
        days: 90,
      })
      // Live traffic adds rollup rows hour after hour, so a PostgreSQL heap holds them in bucket
      // order; the generator writes each tier in one aggregate, in hash order. Put them back.
      if (engine === 'postgres') await clusterRollups(database)
      await sql`analyze`.execute(database.db)
      // A server that has run for a while has checkpointed its WAL; a fresh 5 GB one has not.
      if (engine === 'sqlite') await sql`pragma wal_checkpoint(truncate)`.execute(database.db)
      data = { ...generated, seconds: ((performance.now() - started) / 1000).toFixed(1) }
      if (kept) writeFileSync(kept.metaPath, JSON.stringify(data))
    }
    console.log(
      `\nreports [${engine}]: generated ${data.clicks} clicks and ${data.conversions} conversions over 90 days in ${data.seconds} s${kept?.data ? ' (kept from an earlier run)' : ''}; database ${await sizeMb(engine, database, server.databaseEnv)} MB`,
    )
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
    const range = `from=${day(data.to - 30 * DAY_MS)}&to=${day(data.to - DAY_MS)}`
    const queries: Array<[string, string]> = [
      ['30 days by day (UTC)', `group_by=day&${range}`],
      ['30 days by offer × affiliate (UTC)', `group_by=offer_id,affiliate_id&${range}`],
      ['30 days by day (America/New_York)', `group_by=day&tz=America/New_York&${range}`],
      [
        '30 days by offer × affiliate (New York)',
        `group_by=offer_id,affiliate_id&tz=America/New_York&${range}`,
      ],
      ['30 days by day × country (UTC)', `group_by=day,country&${range}`],
    ]
    for (const [name, query] of queries) {
      const timing = await time(`${server.url}/api/v1/reports?${query}`)
      console.log(
        `  ${name.padEnd(42)} p50 ${timing.p50} ms  p95 ${timing.p95} ms  (${timing.rows} rows)`,
      )
    }
    await checkTotals(database, server.url, data.to, range)
    console.log(`  server peak RSS ${server.peakRssMb()} MB`)
  } finally {
    await database.close()
    await server.stop()
  }
}

/**
 * With BENCH_KEEP_DIR, the generated database outlives the run (a SQLite file in that folder, a
 * PostgreSQL database named after the size) so the next run only times; delete it by hand.
 */
async function keptDatabase(
  engine: BenchEngine,
  dir: string,
): Promise<{
  env: Record<string, string>
  data?: GeneratedData & { seconds: string }
  metaPath: string
}> {
  mkdirSync(dir, { recursive: true })
  const metaPath = join(dir, `reports-${engine}-${CLICKS}.json`)
  const data = existsSync(metaPath)
    ? (JSON.parse(readFileSync(metaPath, 'utf8')) as GeneratedData & { seconds: string })
    : undefined
  if (engine === 'sqlite') {
    const path = join(dir, `reports-${CLICKS}.db`)
    if (!data) rmSync(path, { force: true })
    return { env: { BACKTRACK_DB: path }, data, metaPath }
  }
  const name = `bt_bench_reports_${CLICKS}`
  if (!data) {
    await adminQuery(`drop database if exists ${name} with (force)`)
    await adminQuery(`create database ${name}`)
  }
  const url = new URL(BENCH_PG_URL)
  url.pathname = `/${name}`
  return { env: { DATABASE_URL: url.href }, data, metaPath }
}

async function time(url: string) {
  const headers = { authorization: `Bearer ${BENCH_ADMIN_KEY}` }
  let rows = 0
  const durations: number[] = []
  for (let i = 0; i < RUNS + 3; i++) {
    const started = performance.now()
    const response = await fetch(url, { headers })
    const body = (await response.json()) as { rows: unknown[] }
    if (!response.ok) throw new Error(`${url} → ${response.status} ${JSON.stringify(body)}`)
    if (i >= 3) durations.push(performance.now() - started)
    rows = body.rows.length
  }
  durations.sort((a, b) => a - b)
  const at = (q: number) =>
    durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!.toFixed(1)
  return { p50: at(0.5), p95: at(0.95), rows }
}

// The report must agree with the raw rows: count the clicks of the same 30 days directly.
async function checkTotals(
  database: ReturnType<typeof openDatabase>,
  url: string,
  to: number,
  range: string,
) {
  const response = await fetch(`${url}/api/v1/reports?group_by=day&${range}`, {
    headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` },
  })
  const report = (await response.json()) as { totals: { clicks: number } }
  const raw = await database.db
    .selectFrom('clicks')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('created_at', '>=', to - 30 * DAY_MS)
    .where('created_at', '<', to)
    .executeTakeFirstOrThrow()
  const ok = report.totals.clicks === Number(raw.n)
  console.log(
    `  totals check: report ${report.totals.clicks} clicks, raw rows ${raw.n} → ${ok ? 'equal' : 'DIFFERENT'}`,
  )
}

async function sizeMb(
  engine: BenchEngine,
  database: ReturnType<typeof openDatabase>,
  env: Record<string, string>,
): Promise<number> {
  if (engine === 'postgres') {
    const result = await sql<{
      size: string
    }>`select pg_database_size(current_database()) as size`.execute(database.db)
    return Math.round(Number(result.rows[0]!.size) / 1e6)
  }
  const path = env.BACKTRACK_DB!
  const bytes = [path, `${path}-wal`].reduce((sum, file) => {
    try {
      return sum + statSync(file).size
    } catch {
      return sum
    }
  }, 0)
  return Math.round(bytes / 1e6)
}

async function clusterRollups({ db }: ReturnType<typeof openDatabase>): Promise<void> {
  const tables = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = current_schema() and tablename like 'rollup_%'`.execute(db)
  for (const { name } of tables.rows) {
    await sql.raw(`cluster ${name} using ${name}_key`).execute(db)
  }
}
