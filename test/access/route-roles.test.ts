import { afterAll, beforeAll, expect, it } from 'vitest'
import { ROUTE_ROLES, type RouteAccess } from '../../src/access/index.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { as, invite, login, type Session } from './people.ts'

const ROLES = ['admin', 'manager', 'analyst', 'affiliate', 'advertiser'] as const
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/** Every operation of the OpenAPI document under /api/v1, with its path as Fastify spells it. */
function apiRoutes(t: TestServer): Array<{ method: string; path: string; route: string }> {
  const document = t.server.app.swagger() as { paths: Record<string, Record<string, unknown>> }
  const routes = []
  for (const [path, operations] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/v1/')) continue
    for (const method of METHODS) {
      if (!operations[method]) continue
      const route = path.replace(/\{(\w+)\}/g, ':$1')
      routes.push({ method: method.toUpperCase(), path: path.replace(/\{\w+\}/g, '999999'), route })
    }
  }
  return routes
}

// The live feed never ends: the status is read from the headers and the stream dropped.
async function statusOf(t: TestServer, method: string, path: string, options: RequestInit) {
  const response = await fetch(t.url + path, { method, redirect: 'manual', ...options })
  await response.body?.cancel()
  return response.status
}

function expected(access: RouteAccess, role: string): 'allowed' | 'forbidden' | 'hidden' {
  if (access.roles === 'public' || access.roles === 'any') return 'allowed'
  if (access.hidden?.includes(role as never)) return 'hidden'
  return access.roles.includes(role as never) ? 'allowed' : 'forbidden'
}

describeEachEngine('every route against every role', (engine) => {
  let t: TestServer
  const sessions = {} as Record<(typeof ROLES)[number], Session>
  beforeAll(async () => {
    // The walk makes hundreds of 401s on purpose: the per-address limit on them is not its subject.
    t = await startTestServer(engine, { BACKTRACK_RATE_LIMIT_AUTH_FAILURES: '0' })
    const { advertiser, affiliate } = await createCatalog(t)
    for (const role of ROLES) {
      const email = `${role}@example.com`
      await invite(t, {
        email,
        role,
        ...(role === 'affiliate' ? { affiliate_id: affiliate.id } : {}),
        ...(role === 'advertiser' ? { advertiser_id: advertiser.id } : {}),
      })
      sessions[role] = await login(t, email)
    }
  })
  afterAll(() => t.close())

  it('names every route of the API in the route table', () => {
    expect(apiRoutes(t).length).toBeGreaterThan(40)
    const missing = apiRoutes(t)
      .map(({ method, route }) => `${method} ${route}`)
      .filter((key) => ROUTE_ROLES[key] === undefined)
    expect(missing).toEqual([])
  })

  it('answers 401 without credentials, except on the public routes', async () => {
    for (const { method, path, route } of apiRoutes(t)) {
      const access = ROUTE_ROLES[`${method} ${route}`]!
      const body = method === 'GET' ? undefined : '[]'
      const headers = { 'content-type': 'application/json' }
      const status = await statusOf(t, method, path, { body, headers })
      if (access.roles === 'public') expect(status, `${method} ${route}`).not.toBe(401)
      else expect(status, `${method} ${route}`).toBe(401)
    }
  })

  it('refuses a forbidden role with 403 before reading a malformed body; admits allowed ones', async () => {
    for (const { method, path, route } of apiRoutes(t)) {
      const access = ROUTE_ROLES[`${method} ${route}`]!
      // Signing out would end the session the next routes use; public routes are covered above.
      if (access.roles === 'public') continue
      for (const role of ROLES) {
        const { headers } = as(sessions[role])
        const body = method === 'GET' ? undefined : '[]'
        const status = await statusOf(t, method, path, {
          body,
          headers: { ...headers, 'content-type': 'application/json' },
        })
        const what = `${role} ${method} ${route}`
        const want = expected(access, role)
        if (want === 'forbidden') expect(status, what).toBe(403)
        else if (want === 'hidden') expect(status, what).toBe(404)
        else expect([401, 403], what).not.toContain(status)
      }
    }
  })
})
