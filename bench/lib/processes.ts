import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import pg from 'pg'

export const BENCH_ADMIN_KEY = 'bench-admin-key-Rz4kP9mV2sT7'
export const BENCH_PG_URL =
  process.env.BACKTRACK_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const BIN = join(import.meta.dirname, '../../bin/backtrack.js')

export interface ServerProcess {
  url: string
  pid: number
  /** BACKTRACK_DB or DATABASE_URL of a Backtrack server; empty for the baseline. */
  databaseEnv: Record<string, string>
  /** Peak resident memory of the process so far, in MB (Linux VmHWM). */
  peakRssMb(): number
  stop(): Promise<void>
}

/** Waits for a child process to print `listening on http://…` and returns that URL. */
export function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk
      const match = /listening on (http:\/\/[^\s]+)/.exec(output)
      if (!match) return
      // From here on the log lines are read and dropped, like a log shipper would consume them.
      child.stdout?.off('data', onData)
      child.stderr?.off('data', onData)
      child.stdout?.resume()
      child.stderr?.resume()
      resolve(match[1]!.replace('0.0.0.0', '127.0.0.1'))
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) =>
      reject(new Error(`server exited (${code}) before listening:\n${output}`)),
    )
  })
}

/** Peak resident memory of a running process so far, in MB (Linux VmHWM). */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

function track(
  child: ChildProcess,
  url: string,
  cleanup: () => Promise<void>,
  databaseEnv: Record<string, string> = {},
): ServerProcess {
  return {
    url,
    pid: child.pid!,
    databaseEnv,
    peakRssMb: () => peakRssMb(child.pid!),
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      await cleanup()
    },
  }
}

/** A bare node:http server (bench/lib/baseline-server.ts) in its own process: the same-run baseline. */
export async function startBaseline(
  mode: 'redirect' | 'json',
  delayMs = 0,
): Promise<ServerProcess> {
  const script = join(import.meta.dirname, 'baseline-server.ts')
  const child = spawn(process.execPath, [script, mode, String(delayMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return track(child, await waitForListening(child), async () => {})
}

export type BenchEngine = 'sqlite' | 'postgres'

/**
 * `backtrack serve` in its own process on a fresh SQLite file or PostgreSQL database, or on
 * `existing` (BACKTRACK_DB or DATABASE_URL), which is then left in place when it stops.
 */
export async function startBacktrack(
  engine: BenchEngine,
  env: Record<string, string> = {},
  existing?: Record<string, string>,
): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'backtrack-bench-'))
  let dropDatabase = async () => {}
  const dbEnv: Record<string, string> = existing ?? { BACKTRACK_DB: join(dir, 'bench.db') }
  if (engine === 'postgres' && !existing) {
    const name = `bt_bench_${randomBytes(4).toString('hex')}`
    await adminQuery(`create database ${name}`)
    const url = new URL(BENCH_PG_URL)
    url.pathname = `/${name}`
    dbEnv.DATABASE_URL = url.href
    dropDatabase = () => adminQuery(`drop database if exists ${name} with (force)`)
  }
  // Started through its shebang, as `npx backtrack` and `npm start` do, so that it runs with the
  // V8 flags it ships with; `node` is this bench's own runtime.
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server to <dir> when it stops.
  const profile = process.env.BENCH_CPU_PROF
  const child = spawn(BIN, ['serve'], {
    env: {
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      ...(profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profile}` } : {}),
      PORT: '0',
      HOST: '127.0.0.1',
      BACKTRACK_ADMIN_KEY: BENCH_ADMIN_KEY,
      // The default level: one JSON line per request, as in production.
      BACKTRACK_LOG_LEVEL: 'info',
      ...dbEnv,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = await waitForListening(child)
  return track(
    child,
    url,
    async () => {
      await dropDatabase()
      rmSync(dir, { recursive: true, force: true })
    },
    dbEnv,
  )
}

/** Runs one statement as the PostgreSQL superuser (create or drop a bench database). */
export async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_PG_URL })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** Calls the admin API of a bench server. */
export async function api<T = { id: string; [key: string]: unknown }>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = (await response.json()) as T
  if (!response.ok)
    throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`)
  return json
}
