// The tracking link against a bare node:http server answering a similar 302, in the same run.
// Besides throughput and latency it reports where the CPU went, per request: the server's event
// loop, its other threads (the click store thread, V8's garbage collector), the load generator
// (autocannon, in this process) and PostgreSQL. On a two-core machine these share the cores,
// so a side that needs more CPU per request leaves less for the others.

import type autocannon from 'autocannon'
import { machineCpuSeconds, processCpuSeconds, threadCpuSeconds } from './lib/cpu.ts'
import { type LoadResult, measure, printComparison } from './lib/load.ts'
import { BackendPids } from './lib/postgres-backends.ts'
import {
  api,
  type BenchEngine,
  type ServerProcess,
  startBacktrack,
  startBaseline,
} from './lib/processes.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = 50
const USER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'
const QUERY = 'sub2=creative%20A&source=bench'
// Distinct visitors (IP addresses, sent as X-Forwarded-For from a trusted proxy) the requests
// cycle through. 1, the default, is one visitor clicking again and again: every click after the
// first is a repeat, and the click store writes to one spot of each index. Real traffic comes
// from many addresses, each a unique click on first sight and a row at its own place in the
// visitor index; BENCH_VISITORS=100000 measures that.
const VISITORS = Number(process.env.BENCH_VISITORS ?? 1)
// Offers × affiliates × sub1 values the clicks cycle through (BENCH_KEYS=20x50x100). 1x1x1, the
// default, sends every click to one rollup row per tier; real traffic spreads over many, each a
// row of its own in the rollups' indexes.
const KEYS = parseKeys(process.env.BENCH_KEYS ?? '1x1x1')
const KEY_COUNT = KEYS.offers * KEYS.affiliates * KEYS.subs

interface Keys {
  offers: number
  affiliates: number
  subs: number
}

function parseKeys(text: string): Keys {
  const parts = text.split('x').map(Number)
  if (parts.length !== 3 || !parts.every((n) => Number.isInteger(n) && n >= 1))
    throw new Error(`BENCH_KEYS=${text}: expected offers x affiliates x sub ids, e.g. 20x50x100`)
  const [offers, affiliates, subs] = parts as [number, number, number]
  return { offers, affiliates, subs }
}
// BENCH_RULES=1: the offer has targeting (countries, devices, OS, a schedule) and a blocklist of
// 10,000 entries is active (network-wide and the offer's), none of which the bench's clicks
// match, so the same redirects are measured with every check made.
const RULES = process.env.BENCH_RULES === '1'
const BLOCKLIST_SIZE = 10_000

interface Row {
  name: string
  result: LoadResult
  extra?: string
}

export async function run(): Promise<void> {
  const rows: Row[] = []
  const baseline = await startBaseline('redirect')
  rows.push(
    await load('bare node:http 302', baseline, {
      offerIds: ['1'],
      affiliateIds: ['1'],
    }),
  )
  await baseline.stop()
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as BenchEngine[]
  for (const engine of engines) {
    const server = await startBacktrack(
      engine,
      VISITORS > 1 ? { BACKTRACK_TRUST_PROXY: '127.0.0.1' } : {},
    )
    try {
      const catalog = await trackingCatalog(server)
      rows.push(await load(`backtrack /c (${engine}${RULES ? ', rules' : ''})`, server, catalog))
    } finally {
      await server.stop()
    }
  }
  const visitors = VISITORS > 1 ? `, ${VISITORS} visitors` : ''
  const keys =
    KEY_COUNT > 1
      ? `, ${KEYS.offers} offers × ${KEYS.affiliates} affiliates × ${KEYS.subs} sub1 values`
      : ''
  printComparison(
    `clicks: GET /c/{offer_id}, ${CONNECTIONS} connections, ${SECONDS} s each${visitors}${keys} (target ≥ 0.6× the bare server, p99 ≤ 15 ms, RSS ≤ 250 MB)`,
    rows,
  )
  console.log(
    '  CPU per request: server event loop / server other threads / load generator / PostgreSQL',
  )
}

interface TrackingCatalog {
  offerIds: string[]
  affiliateIds: string[]
}

/** BENCH_KEYS's offers and affiliates, made through the API. */
async function trackingCatalog(server: ServerProcess): Promise<TrackingCatalog> {
  const advertiser = await api(server.url, 'POST', '/api/v1/advertisers', { name: 'Bench' })
  const offerIds: string[] = []
  for (let i = 0; i < KEYS.offers; i++) {
    const offer = await api(server.url, 'POST', '/api/v1/offers', {
      advertiser_id: advertiser.id,
      name: `Bench offer ${i + 1}`,
      destination_url:
        'https://shop.example/landing?cid={click_id}&s1={sub1}&s2={sub2}&src={source}&cc={country}',
      revenue: '2.50',
      payout: '1.75',
    })
    offerIds.push(offer.id)
    // The rules go on the first offer (its blocklist half is network-wide, so made once).
    if (RULES && i === 0) await addRules(server, offer.id)
  }
  const affiliateIds: string[] = []
  for (let i = 0; i < KEYS.affiliates; i++) {
    const affiliate = await api(server.url, 'POST', '/api/v1/affiliates', {
      name: `Bench ${i + 1}`,
    })
    affiliateIds.push(affiliate.id)
  }
  return { offerIds, affiliateIds }
}

async function load(name: string, server: ServerProcess, catalog: TrackingCatalog): Promise<Row> {
  const databaseUrl = server.databaseEnv.DATABASE_URL
  const backends = databaseUrl ? new BackendPids(databaseUrl) : undefined
  try {
    // PostgreSQL backends that appear during the run (the store thread connects on the first
    // batch) count whole.
    const backendsBefore = new Map<number, number>()
    for (const pid of (await backends?.pids()) ?? []) {
      backendsBefore.set(pid, processCpuSeconds(pid))
    }
    const serverBefore = threadCpuSeconds(server.pid)
    const loaderBefore = process.cpuUsage()
    const machineBefore = machineCpuSeconds()
    const result = await measure({
      url: server.url,
      connections: CONNECTIONS,
      durationSeconds: SECONDS,
      requests: clickRequests(catalog),
      expectStatus: 302,
    })
    const serverAfter = threadCpuSeconds(server.pid)
    const loader = process.cpuUsage(loaderBefore)
    const machineAfter = machineCpuSeconds()
    let database = 0
    for (const pid of (await backends?.pids()) ?? []) {
      database += processCpuSeconds(pid) - (backendsBefore.get(pid) ?? 0)
    }
    const perRequest = (seconds: number) => ((seconds / result.total) * 1e6).toFixed(1)
    const idle =
      (machineAfter.idle - machineBefore.idle) / (machineAfter.total - machineBefore.total)
    const cpu = [
      perRequest(serverAfter.main - serverBefore.main),
      perRequest(serverAfter.others - serverBefore.others),
      perRequest((loader.user + loader.system) / 1e6),
      backends ? perRequest(database) : '–',
    ].join(' / ')
    const extra = `peak RSS ${server.peakRssMb()} MB  CPU ${cpu} µs  idle ${Math.round(idle * 100)}%`
    return { name, result, extra }
  } finally {
    await backends?.close()
  }
}

/**
 * One request per visitor and per key (offer, affiliate, sub1), as many as the larger of the two
 * counts: request i comes from visitor i mod VISITORS and carries key i mod KEY_COUNT. The bare
 * server gets the same paths with every id 1, which it ignores.
 */
function clickRequests(catalog: TrackingCatalog): autocannon.Request[] {
  const headers = { 'user-agent': USER_AGENT }
  return Array.from({ length: Math.max(VISITORS, KEY_COUNT) }, (_, i) => {
    const key = i % KEY_COUNT
    const offerId = catalog.offerIds[key % KEYS.offers] ?? catalog.offerIds[0]!
    const affiliateId =
      catalog.affiliateIds[Math.floor(key / KEYS.offers) % KEYS.affiliates] ??
      catalog.affiliateIds[0]!
    const sub = Math.floor(key / (KEYS.offers * KEYS.affiliates)) + 42
    const path = `/c/${offerId}?aff_id=${affiliateId}&sub1=campaign-${sub}&${QUERY}`
    if (VISITORS <= 1) return { method: 'GET' as const, path, headers }
    // Addresses spread over the IPv4 space by a fixed stride, so each run sends the same ones.
    const n = (0x0b000000 + (i % VISITORS) * 2_654_435_761) >>> 0
    const ip = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
    return { method: 'GET' as const, path, headers: { ...headers, 'x-forwarded-for': ip } }
  })
}

/** Targeting that the bench's visitors pass, and 10,000 blocklist entries they do not match. */
async function addRules(server: ServerProcess, offerId: string): Promise<void> {
  await api(server.url, 'PATCH', `/api/v1/offers/${offerId}`, {
    time_zone: 'America/New_York',
    targeting: {
      countries: { block: ['RU', 'CN', 'KP', 'IR'] },
      devices: { allow: ['mobile', 'tablet', 'desktop'] },
      os: { block: ['other'] },
      schedule: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }],
    },
  })
  const entries = Array.from({ length: BLOCKLIST_SIZE }, (_, i) => {
    const offer_id = i % 2 === 0 ? null : offerId
    const a = (i >> 8) & 255
    const b = i & 255
    switch (i % 5) {
      case 0:
        return { type: 'ip', value: `198.18.${a}.${b}`, offer_id }
      case 1:
        return { type: 'cidr', value: `100.${64 + (a & 63)}.${b}.0/24`, offer_id }
      case 2:
        return { type: 'user_agent', value: `BadCrawler/${i}`, offer_id }
      case 3:
        return { type: 'sub1', value: `fraud-campaign-${i}`, offer_id }
      default:
        return { type: 'source', value: `spam-source-${i}`, offer_id }
    }
  })
  const started = Date.now()
  let next = 0
  const worker = async () => {
    while (next < entries.length) {
      await api(server.url, 'POST', '/api/v1/blocklist', entries[next++])
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  console.log(`  ${BLOCKLIST_SIZE} blocklist entries added in ${Date.now() - started} ms`)
  // 20,000 rows (entries and their audit lines) were just written: let the WAL checkpoint and
  // the catalog reload settle, so the load measures redirects rather than the setup's tail.
  await new Promise((resolve) => setTimeout(resolve, 5000))
}
