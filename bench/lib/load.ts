import autocannon from 'autocannon'

export interface LoadResult {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  total: number
  non2xx: number
  errors: number
}

export interface LoadOptions {
  url: string
  connections?: number
  durationSeconds?: number
  /** Requests to send in turn; each may carry method, path, headers and body. */
  requests?: autocannon.Request[]
  /** Status codes that count as success besides 2xx (302 for redirects). */
  expectStatus?: number
}

/** Drives a server with autocannon from this process and reports throughput and latency. */
export async function measure(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 50,
    duration: options.durationSeconds ?? 10,
    ...(options.requests ? { requests: options.requests } : {}),
  })
  const expected = options.expectStatus
  const bad =
    expected === undefined
      ? result.non2xx
      : result.non2xx - (result.statusCodeStats?.[String(expected) as '200']?.count ?? 0)
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: bad,
    errors: result.errors + result.timeouts,
  }
}

/** One line per measured server, then the ratio to the first (the baseline). */
export function printComparison(
  title: string,
  rows: Array<{ name: string; result: LoadResult; extra?: string }>,
) {
  const base = rows[0]!.result
  console.log(`\n${title}`)
  for (const { name, result, extra } of rows) {
    const ratio = (result.requestsPerSecond / base.requestsPerSecond).toFixed(2)
    console.log(
      `  ${name.padEnd(28)} ${String(result.requestsPerSecond).padStart(7)} req/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  ` +
        `ratio ${ratio}×  bad ${result.non2xx + result.errors}${extra ? `  ${extra}` : ''}`,
    )
  }
}
