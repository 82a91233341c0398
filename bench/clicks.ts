// The tracking link against a bare node:http server answering a similar 302, in the same run.
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
const USER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'
const QUERY = 'sub1=campaign-42&sub2=creative%20A&source=bench'

interface Row {
  name: string
  result: LoadResult
  extra?: string
}

export async function run(): Promise<void> {
  const rows: Row[] = []
  const baseline = await startBaseline('redirect')
  rows.push(await load('bare node:http 302', baseline, `/c/1?aff_id=1&${QUERY}`))
  await baseline.stop()
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as BenchEngine[]
  for (const engine of engines) {
    const server = await startBacktrack(engine)
    try {
      const path = await trackingLink(server)
      rows.push(await load(`backtrack /c (${engine})`, server, path))
    } finally {
      await server.stop()
    }
  }
  printComparison(
    `clicks: GET /c/{offer_id}, ${CONNECTIONS} connections, ${SECONDS} s each (target ≥ 0.6× the bare server, p99 ≤ 15 ms, RSS ≤ 250 MB)`,
    rows,
  )
}

async function trackingLink(server: ServerProcess): Promise<string> {
  const advertiser = await api(server.url, 'POST', '/api/v1/advertisers', { name: 'Bench' })
  const offer = await api(server.url, 'POST', '/api/v1/offers', {
    advertiser_id: advertiser.id,
    name: 'Bench offer',
    destination_url:
      'https://shop.example/landing?cid={click_id}&s1={sub1}&s2={sub2}&src={source}&cc={country}',
    revenue: '2.50',
    payout: '1.75',
  })
  const affiliate = await api(server.url, 'POST', '/api/v1/affiliates', { name: 'Bench' })
  return `/c/${offer.id}?aff_id=${affiliate.id}&${QUERY}`
}

async function load(name: string, server: ServerProcess, path: string): Promise<Row> {
  const result = await measure({
    url: server.url,
    connections: CONNECTIONS,
    durationSeconds: SECONDS,
    requests: [{ method: 'GET', path, headers: { 'user-agent': USER_AGENT } }],
    expectStatus: 302,
  })
  return { name, result, extra: `peak RSS ${server.peakRssMb()} MB` }
}
