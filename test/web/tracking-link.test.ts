import { describe, expect, it } from 'vitest'
import { trackingLink } from '../../web/src/catalog/tracking-link.ts'

const TEMPLATE = 'https://track.example/c/7?aff_id={affiliate_id}'

describe('the tracking link builder', () => {
  it("fills in the affiliate and adds only the sub ids and source that are set, in the link's order", () => {
    expect(trackingLink(TEMPLATE, '12', { source: 'fb', sub1: 'spring', sub3: '' })).toBe(
      'https://track.example/c/7?aff_id=12&sub1=spring&source=fb',
    )
    expect(trackingLink(TEMPLATE, '12', {})).toBe('https://track.example/c/7?aff_id=12')
  })

  it("percent-encodes values but keeps an affiliate tracker's macros as typed", () => {
    expect(trackingLink(TEMPLATE, '3', { sub1: '{clickid}', sub2: '[SUB]', sub4: 'a b&c=d' })).toBe(
      'https://track.example/c/7?aff_id=3&sub1={clickid}&sub2=[SUB]&sub4=a%20b%26c%3Dd',
    )
  })
})
