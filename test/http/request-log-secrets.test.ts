import { afterEach, beforeEach, expect, it } from 'vitest'
import { click, setUp } from '../conversions/postback-helpers.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { type Child, databaseEnv, runBacktrack } from '../helpers/processes.ts'
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/test-server.ts'

describeEachEngine('secrets in the request log', (engine) => {
  let t: TestServer
  let child: Child | undefined
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(async () => {
    await child?.stop()
    child = undefined
    await t.close()
  })

  it('never writes the advertiser token, under any alias or encoding of its name', async () => {
    const { offer, affiliate, token } = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    child = runBacktrack(['serve'], {
      ...databaseEnv(t.config.database),
      PORT: '0',
      HOST: '127.0.0.1',
      BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY,
      BACKTRACK_LOG_LEVEL: 'info',
    })
    const url = (await child.waitFor(/listening on (http:\/\/\S+)/))[1]!
    const names = [
      'token',
      'security_token',
      'secure',
      'Token',
      'SECURE',
      'tok%65n',
      '%73ecure',
      'security%5Ftoken',
      '%54OKEN',
      'token[]',
      'secure[]',
      'secure%5B%5D',
      'token[0]',
      'api_key',
      'secret',
    ]
    for (const [i, name] of names.entries()) {
      const query = `click_id=${clickId}&txid=t${i}&${name}=${token}&${name}=${token}`
      const response = await fetch(`${url}/postback?${query}`)
      await response.text()
    }
    await child.stop()
    const log = child.output()
    // Every call has its line, so the absence below is not that of the lines themselves.
    expect(log.match(/"url":"\/postback\?/g)).toHaveLength(names.length)
    expect(log).not.toContain(token)

    const stored = await t.request('GET', '/api/v1/postback-log?limit=100')
    expect(stored.body.data).toHaveLength(names.length)
    expect(JSON.stringify(stored.body)).not.toContain(token)
  })
})
