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
      expect(id).toMatch(/^[A-Za-z0-9_-]{30,40}$/)
      expect(decodeClickId(secret, id)).toEqual({ offerId, affiliateId, clickedAt: now })
    }
  })

  it('still reads version 1 ids, minted before 2026-11-30 with the time in seconds', () => {
    // Minted by the version 1 code with this secret.
    const v1 = 'AeCnEgcFdNRXirLVj1dcX-7cgdwxajg'
    const v1Secret = Buffer.alloc(32, 7)
    expect(decodeClickId(v1Secret, v1)).toEqual({
      offerId: 300_000,
      affiliateId: 7,
      clickedAt: Date.UTC(2026, 10, 25, 12, 30, 15),
    })
    expect(decodeClickId(secret, v1)).toBeUndefined()
    expect(decodeClickId(v1Secret, `${v1.slice(0, -2)}AA`)).toBeUndefined()
  })

  it('puts ids minted in the same millisecond next to each other', () => {
    const ids = Array.from({ length: 50 }, () =>
      encodeClickId(secret, { offerId: 5, affiliateId: 9, clickedAt: now }),
    )
    // Version, offer, affiliate and time: 9 bytes, the first 12 characters.
    expect(new Set(ids.map((id) => id.slice(0, 12))).size).toBe(1)
    expect(new Set(ids.map((id) => id.slice(12))).size).toBe(50)
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
