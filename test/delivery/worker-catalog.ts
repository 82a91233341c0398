import { expect } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { startServer } from '../../src/main.ts'
import type { TestDatabase } from '../helpers/engines.ts'
import { TEST_ADMIN_KEY } from '../helpers/test-server.ts'

export interface WorkerCatalog {
  offerId: number
  affiliateId: number
}

/**
 * An advertiser, an offer, an affiliate and one postback endpoint per URL, made through the API
 * of a server that is then stopped: the worker processes under test are then the only senders.
 */
export async function createWorkerCatalog(
  database: TestDatabase,
  endpointUrls: string[],
): Promise<WorkerCatalog> {
  const config = {
    ...loadConfig({
      BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY,
      BACKTRACK_LOG_LEVEL: 'silent',
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
    }),
    host: '127.0.0.1',
    port: 0,
    database: database.config,
  }
  const server = await startServer(config, { logger: false, print: () => {} })
  try {
    const api = async (path: string, body: unknown) => {
      const response = await fetch(`${server.url}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(response.status).toBe(201)
      return (await response.json()) as { id: string }
    }
    const advertiser = await api('/advertisers', { name: 'A' })
    const offer = await api('/offers', {
      advertiser_id: advertiser.id,
      name: 'O',
      destination_url: 'https://shop.example/',
      revenue: 1,
      payout: 1,
    })
    const affiliate = await api('/affiliates', { name: 'F' })
    for (const url of endpointUrls) await api('/postbacks', { affiliate_id: affiliate.id, url })
    return { offerId: Number(offer.id), affiliateId: Number(affiliate.id) }
  } finally {
    await server.close()
  }
}
