import { describe, expect, it } from 'vitest'
import { datacenterAsn } from '../../src/conversions/datacenter-ip.ts'
import {
  type ConversionSignals,
  effectiveRules,
  flagSignals,
  velocityFlag,
  verdictOf,
} from '../../src/conversions/fraud-rules.ts'

const signals = (over: Partial<ConversionSignals> = {}): ConversionSignals => ({
  secondsToConvert: 100,
  click: { isBot: false, ip: '81.2.69.142', country: 'GB' },
  conversionIp: null,
  datacenterAsn,
  ...over,
})

describe('fraud rules', () => {
  it('min_ctit_seconds: a conversion exactly at the minimum passes, one second sooner trips', () => {
    const rules = { min_ctit_seconds: { value: 10, action: 'hold' as const } }
    expect(flagSignals(rules, signals({ secondsToConvert: 10 }))).toEqual([])
    expect(flagSignals(rules, signals({ secondsToConvert: 9 }))).toEqual([
      { rule: 'min_ctit_seconds', observed: 9, limit: 10, action: 'hold' },
    ])
  })

  it('bot_click trips on a bot click only, and not when the click row is missing', () => {
    const rules = { bot_click: { action: 'reject' as const } }
    const bot = { isBot: true, ip: '81.2.69.142', country: 'GB' }
    expect(flagSignals(rules, signals())).toEqual([])
    expect(flagSignals(rules, signals({ click: undefined }))).toEqual([])
    expect(flagSignals(rules, signals({ click: bot }))).toEqual([
      { rule: 'bot_click', observed: true, limit: false, action: 'reject' },
    ])
  })

  it('datacenter_ip judges the conversion ip when sent, else the click ip, from offline ranges', () => {
    const rules = { datacenter_ip: { action: 'allow' as const } }
    expect(flagSignals(rules, signals())).toEqual([])
    const aws = { isBot: false, ip: '3.5.140.2', country: 'KR' }
    expect(flagSignals(rules, signals({ click: aws }))[0]).toMatchObject({
      rule: 'datacenter_ip',
      observed: '3.5.140.2 (AS16509)',
    })
    // A home conversion address wins over a datacenter click address, and the other way round.
    expect(
      flagSignals(rules, signals({ click: aws, conversionIp: { ip: '81.2.69.1', country: 'GB' } })),
    ).toEqual([])
    expect(datacenterAsn('2a01:4f8::1')).toBe(24940)
    expect(datacenterAsn('::ffff:8.8.8.8')).toBe(15169)
    expect(datacenterAsn('192.168.1.1')).toBeNull()
  })

  it('country_mismatch needs both countries and trips only when they differ', () => {
    const rules = { country_mismatch: { action: 'hold' as const } }
    expect(
      flagSignals(rules, signals({ conversionIp: { ip: '81.2.69.1', country: 'GB' } })),
    ).toEqual([])
    expect(
      flagSignals(rules, signals({ conversionIp: { ip: '10.0.0.1', country: null } })),
    ).toEqual([])
    expect(flagSignals(rules, signals({ conversionIp: { ip: '8.8.8.8', country: 'US' } }))).toEqual(
      [{ rule: 'country_mismatch', observed: 'US', limit: 'GB', action: 'hold' }],
    )
  })

  it('velocity rules: the limit-th conversion passes, the next trips', () => {
    const setting = { limit: 3, action: 'reject' as const }
    expect(velocityFlag('max_conversions_per_ip', setting, 3)).toBeUndefined()
    expect(velocityFlag('max_conversions_per_ip', setting, 4)).toEqual({
      rule: 'max_conversions_per_ip',
      observed: 4,
      limit: 3,
      action: 'reject',
    })
  })

  it('a rejecting rule wins over a holding one, and allow only flags', () => {
    const flag = (rule: 'bot_click' | 'datacenter_ip', action: 'allow' | 'hold' | 'reject') => ({
      rule,
      observed: true,
      limit: null,
      action,
    })
    expect(verdictOf([])).toBeUndefined()
    expect(verdictOf([flag('bot_click', 'allow')])).toBeUndefined()
    expect(verdictOf([flag('bot_click', 'hold')])).toEqual({ status: 'pending', reason: 'held' })
    expect(verdictOf([flag('bot_click', 'hold'), flag('datacenter_ip', 'reject')])).toEqual({
      status: 'rejected',
      reason: 'datacenter_ip',
    })
  })

  it("an offer's rules replace the network's rule by rule", () => {
    const network = {
      bot_click: { action: 'reject' as const },
      datacenter_ip: { action: 'hold' as const },
    }
    expect(effectiveRules(network, { bot_click: { action: 'allow' } })).toEqual({
      bot_click: { action: 'allow' },
      datacenter_ip: { action: 'hold' },
    })
    expect(effectiveRules(network, null)).toBe(network)
  })
})
