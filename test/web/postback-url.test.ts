import { describe, expect, it } from 'vitest'
import { postbackBase, postbackUrl, postbackVerdict } from '../../web/src/catalog/postback-url.ts'

describe('the postback URL builder', () => {
  it('writes each chosen parameter with its macro, the token last', () => {
    const base = postbackBase(
      'https://t.example/postback?click_id={click_id}&token=abc',
      'http://ignored',
    )
    expect(
      postbackUrl(base, 'abc', [
        { name: 'click_id', macro: '' },
        { name: 'amount', macro: '{sale_amount}' },
        { name: 'txid', macro: '[ORDER ID]' },
      ]),
    ).toBe(
      'https://t.example/postback?click_id={click_id}&amount={sale_amount}&txid=[ORDER%20ID]&token=abc',
    )
  })

  it('shows where the token goes to a role that does not see it', () => {
    expect(
      postbackUrl('https://t.example/postback', undefined, [{ name: 'click_id', macro: '' }]),
    ).toBe('https://t.example/postback?click_id={click_id}&token={token}')
  })

  it("falls back to the console's own address when the role does not see the advertiser's URL", () => {
    expect(postbackBase(undefined, 'https://console.example')).toBe(
      'https://console.example/postback',
    )
  })

  it("says what the server's answer means", () => {
    expect(
      postbackVerdict(200, { result: 'accepted', conversion_id: '4', status: 'approved' }).text,
    ).toBe('Accepted: conversion 4 recorded as approved.')
    expect(
      postbackVerdict(200, { result: 'duplicate', conversion_id: '4', reason: 'duplicate_txid' })
        .text,
    ).toBe(
      'Duplicate: conversion 4 was already recorded: this transaction id was used before; nothing changed.',
    )
    const refused = postbackVerdict(404, {
      error: { code: 'unknown_click', message: 'no click with this id' },
    })
    expect(refused).toEqual({
      ok: false,
      text: 'Refused (404 unknown_click): no click with this id.',
    })
  })
})
