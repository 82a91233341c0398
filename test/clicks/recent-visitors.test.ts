import { describe, expect, it } from 'vitest'
import { RecentVisitors, UNIQUE_WINDOW_MS } from '../../src/clicks/recent-visitors.ts'

describe('recent visitors', () => {
  const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

  it('counts the first click of an offer, IP and user agent in 24 hours as unique', () => {
    const visitors = new RecentVisitors()
    const t = Date.UTC(2026, 10, 30)
    expect(visitors.isFirstClick(1, '203.0.113.7', ua, t)).toBe(true)
    expect(visitors.isFirstClick(1, '203.0.113.7', ua, t + 1000)).toBe(false)
    expect(visitors.isFirstClick(2, '203.0.113.7', ua, t + 1000)).toBe(true)
    expect(visitors.isFirstClick(1, '203.0.113.8', ua, t + 1000)).toBe(true)
    expect(visitors.isFirstClick(1, '203.0.113.7', `${ua} x`, t + 1000)).toBe(true)
    expect(visitors.isFirstClick(1, '203.0.113.7', null, t + 1000)).toBe(true)
    expect(visitors.isFirstClick(1, '203.0.113.7', ua, t + 1000 + UNIQUE_WINDOW_MS)).toBe(true)
  })

  it('keeps distinct visitors apart, and forgets the least recent beyond its capacity', () => {
    const visitors = new RecentVisitors(50_000)
    const t = Date.UTC(2026, 10, 30)
    for (let i = 0; i < 50_000; i++) {
      expect(visitors.isFirstClick(1, `10.0.${i >> 8}.${i & 255}`, ua, t)).toBe(true)
    }
    // Seen again: all remembered, so none is unique.
    let repeats = 0
    for (let i = 0; i < 50_000; i++) {
      if (!visitors.isFirstClick(1, `10.0.${i >> 8}.${i & 255}`, ua, t + 1)) repeats++
    }
    expect(repeats).toBe(50_000)
    expect(visitors.isFirstClick(1, '192.0.2.1', ua, t + 2)).toBe(true)
    // The new visitor pushed out the least recently seen one (10.0.0.0, seen at t + 1 first).
    expect(visitors.isFirstClick(1, '10.0.0.0', ua, t + 3)).toBe(true)
  })
})
