import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { base32Decode, base32Encode, totpCode, verifyTotp } from '../../src/access/totp.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { as, invite, login, PASSWORD } from './people.ts'

// RFC 6238 appendix B: the seeds, and T → 8-digit code for SHA-1, SHA-256, SHA-512.
const SEEDS = {
  sha1: '12345678901234567890',
  sha256: '12345678901234567890123456789012',
  sha512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const
const VECTORS: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
]

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors', () => {
    for (const [seconds, sha1, sha256, sha512] of VECTORS) {
      const at = seconds * 1000
      const code = (algorithm: keyof typeof SEEDS) =>
        totpCode(Buffer.from(SEEDS[algorithm]), at, { digits: 8, algorithm })
      expect([code('sha1'), code('sha256'), code('sha512')], String(seconds)).toEqual([
        sha1,
        sha256,
        sha512,
      ])
    }
  })

  it('accepts the step before and after for clock drift, no further', () => {
    const secret = base32Encode(Buffer.from(SEEDS.sha1))
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
    expect(base32Decode(secret).toString()).toBe(SEEDS.sha1)
    const at = 1_111_111_111_000
    const code = totpCode(Buffer.from(SEEDS.sha1), at)
    expect(code).toBe('050471')
    expect(verifyTotp(secret, code, at + 30_000)).toBe(true)
    expect(verifyTotp(secret, code, at - 30_000)).toBe(true)
    expect(verifyTotp(secret, code, at + 90_000)).toBe(false)
  })
})

const codeNow = (secret: string) => totpCode(base32Decode(secret), Date.now())

describeEachEngine('two-factor sign-in', (engine) => {
  let t: TestServer
  afterEach(() => t.close())

  describe('when chosen', () => {
    beforeEach(async () => {
      t = await startTestServer(engine)
    })

    it('asks for the code once set up, and takes a recovery code once', async () => {
      await invite(t, { email: 'tf@example.com', role: 'analyst' })
      const session = await login(t, 'tf@example.com')
      const setup = await t.request('POST', '/api/v1/me/totp', as(session))
      expect(setup.status).toBe(200)
      expect(setup.body.otpauth_url).toContain(`secret=${setup.body.secret}`)
      const wrong = await t.request('POST', '/api/v1/me/totp/confirm', {
        ...as(session),
        body: { code: '000000' === codeNow(setup.body.secret) ? '111111' : '000000' },
      })
      expect(wrong.body.error.code).toBe('invalid_code')
      const confirmed = await t.request('POST', '/api/v1/me/totp/confirm', {
        ...as(session),
        body: { code: codeNow(setup.body.secret) },
      })
      expect(confirmed.status).toBe(200)
      const recovery: string[] = confirmed.body.recovery_codes
      expect(recovery).toHaveLength(10)

      const signIn = (code?: string) =>
        t.request('POST', '/api/v1/auth/login', {
          key: null,
          body: { email: 'tf@example.com', password: PASSWORD, ...(code ? { code } : {}) },
        })
      const none = await signIn()
      expect(none.status).toBe(401)
      expect(none.body.error.code).toBe('code_required')
      const bad = await signIn(codeNow(setup.body.secret) === '123456' ? '654321' : '123456')
      expect(bad.status).toBe(401)
      expect(bad.body.error.code).toBe('invalid_code')
      const code = codeNow(setup.body.secret)
      expect((await signIn(code)).status).toBe(200)
      // Each code works once, whether from the authenticator or the recovery list.
      expect((await signIn(code)).body.error.code).toBe('invalid_code')
      expect((await signIn(recovery[0])).status).toBe(200)
      expect((await signIn(recovery[0])).body.error.code).toBe('invalid_code')

      const me = await login(t, 'tf@example.com', PASSWORD, recovery[1])
      expect((await t.request('DELETE', '/api/v1/me/totp', as(me))).status).toBe(204)
      expect((await signIn()).status).toBe(200)
    })
  })

  describe('with BACKTRACK_REQUIRE_2FA=staff', () => {
    beforeEach(async () => {
      t = await startTestServer(engine, { BACKTRACK_REQUIRE_2FA: 'staff' })
    })

    it('lets a manager do nothing but set it up; analysts are not held', async () => {
      await invite(t, { email: 'mg@example.com', role: 'manager' })
      const res = await t.request('POST', '/api/v1/auth/login', {
        key: null,
        body: { email: 'mg@example.com', password: PASSWORD },
      })
      expect(res.body.two_factor_setup_required).toBe(true)
      const manager = await login(t, 'mg@example.com')
      const held = await t.request('GET', '/api/v1/offers', as(manager))
      expect(held.status).toBe(403)
      expect(held.body.error.code).toBe('two_factor_setup_required')
      const setup = await t.request('POST', '/api/v1/me/totp', as(manager))
      const confirmed = await t.request('POST', '/api/v1/me/totp/confirm', {
        ...as(manager),
        body: { code: codeNow(setup.body.secret) },
      })
      expect(confirmed.status).toBe(200)
      expect((await t.request('GET', '/api/v1/offers', as(manager))).status).toBe(200)
      expect((await t.request('DELETE', '/api/v1/me/totp', as(manager))).status).toBe(403)

      await invite(t, { email: 'an@example.com', role: 'analyst' })
      const analyst = await login(t, 'an@example.com')
      expect((await t.request('GET', '/api/v1/offers', as(analyst))).status).toBe(200)
    })
  })
})
