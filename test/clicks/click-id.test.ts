import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decodeClickId, encodeClickId } from '../../src/clicks/click-id.ts'

describe('click ids', () => {
  const secret = randomBytes(32)
  const now = Date.UTC(2026, 10, 25, 12, 30, 15, 999)

  it('round-trips offer, affiliate and time, URL-safe and at most 40 characters', () => {
    for (const [offerId, affiliateId] of [
      [1, 1],
      [127, 128],
      [2 ** 35 - 1, 2 ** 35 - 1],
      [300_000, 7],
    ]) {
      const id = encodeClickId(secret, {
        offerId: offerId!,
        affiliateId: affiliateId!,
        clickedAt: now,
      })
      expect(id).toMatch(/^[A-Za-z0-9_-]{28,40}$/)
      expect(decodeClickId(secret, id)).toEqual({ offerId, affiliateId, clickedAt: now - 999 })
    }
  })

  it('is different every time for the same offer, affiliate and second', () => {
    const ids = new Set(
      Array.from({ length: 1000 }, () =>
        encodeClickId(secret, { offerId: 1, affiliateId: 1, clickedAt: now }),
      ),
    )
    expect(ids.size).toBe(1000)
  })

  it('refuses forged, altered, truncated and garbled ids', () => {
    const id = encodeClickId(secret, { offerId: 5, affiliateId: 9, clickedAt: now })
    expect(decodeClickId(randomBytes(32), id)).toBeUndefined()
    for (let i = 0; i < id.length; i++) {
      const flipped = id.slice(0, i) + (id[i] === 'A' ? 'B' : 'A') + id.slice(i + 1)
      expect(decodeClickId(secret, flipped), `position ${i}`).toBeUndefined()
    }
    for (let length = 0; length < id.length; length++) {
      expect(decodeClickId(secret, id.slice(0, length))).toBeUndefined()
    }
    for (const garbage of [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!',
      `${id}A`,
      'x'.repeat(41),
      `${id.slice(0, -1)}=`,
    ]) {
      expect(decodeClickId(secret, garbage)).toBeUndefined()
    }
  })

  it('refuses ids it cannot encode', () => {
    expect(() => encodeClickId(secret, { offerId: 0, affiliateId: 1, clickedAt: now })).toThrow(
      RangeError,
    )
    expect(() =>
      encodeClickId(secret, { offerId: 2 ** 35, affiliateId: 1, clickedAt: now }),
    ).toThrow(RangeError)
  })
})
