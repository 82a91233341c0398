import { createHash } from 'node:crypto'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { as, invite, login, PASSWORD, sessionCookieOf } from './people.ts'

describeEachEngine('signing in', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('invite → password → login → cookie on the API → CSRF refused then accepted → logout', async () => {
    const created = await t.request('POST', '/api/v1/users', {
      body: { email: 'Ada@Example.com', name: 'Ada', role: 'manager' },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ email: 'ada@example.com', role: 'manager' })
    expect(created.body.invite_url).toContain(created.body.invite_token)
    expect(JSON.stringify(created.body)).not.toContain('password_hash')

    const accept = (token: string, password: string) =>
      t.request('POST', '/api/v1/auth/accept-invite', { key: null, body: { token, password } })
    const weak = await accept(created.body.invite_token, 'password1234')
    expect(weak.status).toBe(400)
    expect(weak.body.error.code).toBe('weak_password')
    expect((await accept(created.body.invite_token, 'short')).body.error.code).toBe('weak_password')
    expect((await accept(created.body.invite_token, PASSWORD)).status).toBe(204)
    const again = await accept(created.body.invite_token, PASSWORD)
    expect(again.status).toBe(400)
    expect(again.body.error.code).toBe('invalid_token')

    const res = await t.request('POST', '/api/v1/auth/login', {
      key: null,
      body: { email: 'ada@example.com', password: PASSWORD },
    })
    expect(res.status).toBe(200)
    const setCookie = res.headers.getSetCookie().join('\n')
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    expect(setCookie).not.toMatch(/Secure/)
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD)
    const session = {
      cookie: sessionCookieOf(res.headers),
      csrf: res.body.csrf_token,
      user: res.body.user,
    }

    const me = await t.request('GET', '/api/v1/me', as(session, false))
    expect(me.status).toBe(200)
    expect(me.body.user.email).toBe('ada@example.com')
    expect(me.body.csrf_token).toBe(session.csrf)

    const noCsrf = await t.request('POST', '/api/v1/advertisers', {
      ...as(session, false),
      body: { name: 'Acme' },
    })
    expect(noCsrf.status).toBe(403)
    expect(noCsrf.body.error.code).toBe('csrf_failed')
    const wrongCsrf = await t.request('POST', '/api/v1/advertisers', {
      key: null,
      headers: { cookie: session.cookie, 'x-csrf-token': 'nope' },
      body: { name: 'Acme' },
    })
    expect(wrongCsrf.body.error.code).toBe('csrf_failed')
    const made = await t.request('POST', '/api/v1/advertisers', {
      ...as(session),
      body: { name: 'Acme' },
    })
    expect(made.status).toBe(201)

    expect((await t.request('POST', '/api/v1/auth/logout', as(session, false))).status).toBe(403)
    expect((await t.request('POST', '/api/v1/auth/logout', as(session))).status).toBe(204)
    expect((await t.request('GET', '/api/v1/me', as(session))).status).toBe(401)
  })

  it('answers wrong email and wrong password alike, 401 invalid_credentials', async () => {
    await invite(t, { email: 'bo@example.com', role: 'analyst' })
    for (const body of [
      { email: 'nobody@example.com', password: PASSWORD },
      { email: 'bo@example.com', password: 'not the password at all' },
    ]) {
      const res = await t.request('POST', '/api/v1/auth/login', { key: null, body })
      expect(res.status).toBe(401)
      expect(res.body.error).toEqual({
        code: 'invalid_credentials',
        message: 'email or password is wrong',
      })
    }
  })

  it('gives a new session id on every login and keeps both until logout', async () => {
    await invite(t, { email: 'cy@example.com', role: 'analyst' })
    const first = await login(t, 'cy@example.com')
    const second = await login(t, 'cy@example.com')
    expect(second.cookie).not.toBe(first.cookie)
    expect(second.csrf).not.toBe(first.csrf)
    expect((await t.request('GET', '/api/v1/me', as(first))).status).toBe(200)
  })

  it('ends every session of a user whose password changes or who is disabled', async () => {
    const user = await invite(t, { email: 'di@example.com', role: 'analyst' })
    const before = await login(t, 'di@example.com')
    const reset = await t.request('POST', `/api/v1/users/${user.id}/reset`)
    expect(reset.status).toBe(200)
    // The old password works until the new invite is used.
    expect((await t.request('GET', '/api/v1/me', as(before))).status).toBe(200)
    const accepted = await t.request('POST', '/api/v1/auth/accept-invite', {
      key: null,
      body: { token: reset.body.invite_token, password: 'another long passphrase' },
    })
    expect(accepted.status).toBe(204)
    expect((await t.request('GET', '/api/v1/me', as(before))).status).toBe(401)

    const after = await login(t, 'di@example.com', 'another long passphrase')
    const disabled = await t.request('PATCH', `/api/v1/users/${user.id}`, {
      body: { disabled: true },
    })
    expect(disabled.body.disabled).toBe(true)
    expect((await t.request('GET', '/api/v1/me', as(after))).status).toBe(401)
    const refused = await t.request('POST', '/api/v1/auth/login', {
      key: null,
      body: { email: 'di@example.com', password: 'another long passphrase' },
    })
    expect(refused.body.error.code).toBe('invalid_credentials')
  })

  it('changing the password ends every session of the user', async () => {
    await invite(t, { email: 'pw@example.com', role: 'analyst' })
    const here = await login(t, 'pw@example.com')
    const elsewhere = await login(t, 'pw@example.com')
    const wrong = await t.request('POST', '/api/v1/me/password', {
      ...as(here),
      body: { current_password: 'not the password', new_password: 'a brand new passphrase' },
    })
    expect(wrong.status).toBe(400)
    expect(wrong.body.error.details).toEqual([{ field: 'current_password', message: 'is wrong' }])
    const changed = await t.request('POST', '/api/v1/me/password', {
      ...as(here),
      body: { current_password: PASSWORD, new_password: 'a brand new passphrase' },
    })
    expect(changed.status).toBe(204)
    expect((await t.request('GET', '/api/v1/me', as(here))).status).toBe(401)
    expect((await t.request('GET', '/api/v1/me', as(elsewhere))).status).toBe(401)
    await login(t, 'pw@example.com', 'a brand new passphrase')
  })

  it('ends a session unused for 12 hours, and any session after 7 days', async () => {
    await invite(t, { email: 'ti@example.com', role: 'analyst' })
    const idle = await login(t, 'ti@example.com')
    const old = await login(t, 'ti@example.com')
    const db = t.server.database.db
    const hour = 3_600_000
    // Time passes in the database: one session unused for 12 h, the other begun 7 days ago.
    const hashOf = (session: { cookie: string }) =>
      createHash('sha256').update(session.cookie.split('=')[1]!).digest('hex')
    await db
      .updateTable('sessions')
      .set((eb) => ({ last_seen_at: eb('last_seen_at', '-', 12 * hour) }))
      .where('id_hash', '=', hashOf(idle))
      .execute()
    expect((await t.request('GET', '/api/v1/me', as(idle))).status).toBe(401)
    expect((await t.request('GET', '/api/v1/me', as(old))).status).toBe(200)
    await db
      .updateTable('sessions')
      .set((eb) => ({ expires_at: eb('expires_at', '-', 7 * 24 * hour) }))
      .where('id_hash', '=', hashOf(old))
      .execute()
    expect((await t.request('GET', '/api/v1/me', as(old))).status).toBe(401)
  })

  it('locks an account after 5 failures in 15 minutes with Retry-After, and the lock passes', async () => {
    await invite(t, { email: 'ed@example.com', role: 'analyst' })
    const attempt = (password: string) =>
      t.request('POST', '/api/v1/auth/login', {
        key: null,
        body: { email: 'ed@example.com', password },
      })
    // A success clears the count: four failures, a success, four more are all still answered.
    for (let i = 0; i < 4; i++) expect((await attempt('wrong wrong wrong')).status).toBe(401)
    expect((await attempt(PASSWORD)).status).toBe(200)
    for (let i = 0; i < 5; i++) expect((await attempt('wrong wrong wrong')).status).toBe(401)
    const locked = await attempt(PASSWORD)
    expect(locked.status).toBe(429)
    expect(locked.body.error.code).toBe('too_many_attempts')
    const retryAfter = Number(locked.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(14 * 60)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)

    // Fifteen minutes later (the failures aged in the database) the account opens again.
    await t.server.database.db
      .updateTable('login_failures')
      .set((eb) => ({ at: eb('at', '-', 15 * 60_000) }))
      .execute()
    expect((await attempt(PASSWORD)).status).toBe(200)
  })
})

describeEachEngine('sessions behind https', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine, { BACKTRACK_PUBLIC_URL: 'https://track.example' })
  })
  afterEach(() => t.close())

  it('marks the cookie Secure when BACKTRACK_PUBLIC_URL is https', async () => {
    await invite(t, { email: 'fa@example.com', role: 'analyst' })
    const res = await t.request('POST', '/api/v1/auth/login', {
      key: null,
      body: { email: 'fa@example.com', password: PASSWORD },
    })
    expect(res.headers.getSetCookie().join('\n')).toMatch(/; Secure/)
  })
})
