import { expect } from 'vitest'
import type { TestServer } from '../helpers/test-server.ts'

export const PASSWORD = 'a long and unusual passphrase'

export interface Session {
  cookie: string
  csrf: string
  user: { id: string; email: string; role: string }
}

/** The `name=value` of the session cookie in a response. */
export function sessionCookieOf(headers: Headers): string {
  const cookie = headers.getSetCookie().find((line) => line.startsWith('backtrack_session='))
  expect(cookie).toBeDefined()
  return cookie!.split(';')[0]!
}

/** An admin invites a user (with the admin key), who sets a password. Returns the user. */
export async function invite(
  t: TestServer,
  body: {
    email: string
    name?: string
    role: string
    affiliate_id?: string
    advertiser_id?: string
  },
  password = PASSWORD,
) {
  const created = await t.request('POST', '/api/v1/users', { body })
  expect(created.status).toBe(201)
  const accepted = await t.request('POST', '/api/v1/auth/accept-invite', {
    key: null,
    body: { token: created.body.invite_token, password },
  })
  expect(accepted.status).toBe(204)
  return created.body
}

export async function login(
  t: TestServer,
  email: string,
  password = PASSWORD,
  code?: string,
): Promise<Session> {
  const res = await t.request('POST', '/api/v1/auth/login', {
    key: null,
    body: { email, password, ...(code === undefined ? {} : { code }) },
  })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return { cookie: sessionCookieOf(res.headers), csrf: res.body.csrf_token, user: res.body.user }
}

/** Options for `t.request` as a signed-in browser: the cookie, and the CSRF token. */
export function as(session: Session, csrf = true) {
  return {
    key: null,
    headers: {
      cookie: session.cookie,
      ...(csrf ? { 'x-csrf-token': session.csrf } : {}),
    },
  }
}
