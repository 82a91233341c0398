// Inbound postbacks, each one a new conversion, against a bare node:http server answering the
// same JSON, in the same run.
import { type LoadResult, measure, printComparison } from './lib/load.ts'
import {
  api,
  type BenchEngine,
  type ServerProcess,
  startBacktrack,
  startBaseline,
} from './lib/processes.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = 50
const CLICKS = 500
// BENCH_FRAUD_RULES=1: every fraud rule on, network-wide, with limits no conversion reaches (so
// each is still new and approved, and the counted rules still count); BENCH_CAPS=1: a daily
// conversions cap and a payout cap on the offer, out of reach too.
const FRAUD_RULES = process.env.BENCH_FRAUD_RULES === '1'
const CAPS = process.env.BENCH_CAPS === '1'

interface Row {
  name: string
  result: LoadResult
  extra?: string
}

export async function run(): Promise<void> {
  const rows: Row[] = []
  const baseline = await startBaseline('json')
  rows.push(await load('bare node:http 200 JSON', baseline, ['/postback?click_id=x&token=y']))
  await baseline.stop()
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as BenchEngine[]
  for (const engine of engines) {
    const server = await startBacktrack(engine)
    try {
      const paths = await postbackPaths(server)
      // One postback first, in every scenario, so one-off loads (the datacenter ranges, read on
      // the first lookup) are not part of the measured seconds.
      await fetch(server.url + paths[0])
      const label = [FRAUD_RULES ? 'fraud rules' : '', CAPS ? 'caps' : '']
        .filter(Boolean)
        .join(', ')
      const row = await load(
        `backtrack /postback (${engine}${label ? `, ${label}` : ''})`,
        server,
        paths,
      )
      const stored = await storedConversions(server)
      row.extra = `${row.extra}  stored ${stored} (${Math.round(stored / SECONDS)}/s)`
      rows.push(row)
    } finally {
      await server.stop()
    }
  }
  printComparison(
    `postbacks: GET /postback, each a new conversion (allow_multiple goal, no txid), ${CONNECTIONS} connections, ${SECONDS} s each (target on SQLite ≥ 3000 accepted/s, p99 ≤ 25 ms)`,
    rows,
  )
}

/** A catalog with an allow_multiple percent goal, and postback URLs over many real clicks. */
async function postbackPaths(server: ServerProcess): Promise<string[]> {
  if (FRAUD_RULES) {
    await api(server.url, 'PUT', '/api/v1/settings/fraud', {
      min_ctit_seconds: { value: 1, action: 'allow' },
      bot_click: { action: 'allow' },
      datacenter_ip: { action: 'allow' },
      country_mismatch: { action: 'allow' },
      max_conversions_per_ip: { limit: 1_000_000, per: 'hour', action: 'reject' },
      max_conversions_per_sub1: { limit: 1_000_000, per: 'day', action: 'hold' },
    })
  }
  const advertiser = await api(server.url, 'POST', '/api/v1/advertisers', { name: 'Bench' })
  const offer = await api(server.url, 'POST', '/api/v1/offers', {
    advertiser_id: advertiser.id,
    name: 'Bench offer',
    destination_url: 'https://shop.example/landing?cid={click_id}',
    revenue: '2.50',
    payout: '1.75',
    goals: [
      {
        key: 'sale',
        revenue: 10,
        revenue_type: 'percent',
        payout: 7.5,
        payout_type: 'percent',
        allow_multiple: true,
      },
    ],
    ...(CAPS
      ? {
          time_zone: 'Europe/Berlin',
          caps: [
            { metric: 'conversions', period: 'day', limit: 100_000_000 },
            { metric: 'payout', period: 'month', limit: '100000000' },
          ],
        }
      : {}),
  })
  const affiliate = await api(server.url, 'POST', '/api/v1/affiliates', { name: 'Bench' })
  const token = String(advertiser.postback_token)
  const paths: string[] = []
  for (let i = 0; i < CLICKS; i++) {
    const response = await fetch(`${server.url}/c/${offer.id}?aff_id=${affiliate.id}&sub1=s${i}`, {
      redirect: 'manual',
    })
    const clickId = new URL(response.headers.get('location') ?? '').searchParams.get('cid')
    if (!clickId) throw new Error(`no click id from the tracking link (${response.status})`)
    paths.push(`/postback?click_id=${clickId}&goal=sale&amount=${(i % 997) + 0.99}&token=${token}`)
  }
  return paths
}

async function storedConversions(server: ServerProcess): Promise<number> {
  const page = await api<{ data: Array<{ id: string }> }>(
    server.url,
    'GET',
    '/api/v1/conversions?limit=1',
  )
  return Number(page.data[0]?.id ?? 0)
}

async function load(name: string, server: ServerProcess, paths: string[]): Promise<Row> {
  let next = 0
  const result = await measure({
    url: server.url,
    connections: CONNECTIONS,
    durationSeconds: SECONDS,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          request.path = paths[next++ % paths.length]!
          return request
        },
      },
    ],
  })
  return { name, result, extra: `peak RSS ${server.peakRssMb()} MB` }
}
