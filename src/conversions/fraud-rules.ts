import type { FraudRulesInput } from '../catalog/index.ts'

/** What a fraud rule does to a conversion it catches. */
export type FraudAction = 'allow' | 'hold' | 'reject'

export type FraudRuleName =
  | 'min_ctit_seconds'
  | 'bot_click'
  | 'datacenter_ip'
  | 'country_mismatch'
  | 'max_conversions_per_ip'
  | 'max_conversions_per_sub1'

export type VelocityPeriod = 'hour' | 'day'

/** Fraud rules as the network's defaults and an offer's overrides hold them (contract shape). */
export type FraudRules = FraudRulesInput

/** One rule a conversion tripped: what was seen, against what limit, and what was done. */
export interface ConversionFlag {
  rule: FraudRuleName
  observed: string | number | boolean
  limit: string | number | boolean | null
  action: FraudAction
}

/** The rules in force for an offer: each rule the offer sets replaces the network's. */
export function effectiveRules(network: FraudRules, offer: FraudRules | null): FraudRules {
  return offer ? { ...network, ...offer } : network
}

/** Whether any rule is set at all, so a network without rules pays nothing for them. */
export function hasRules(rules: FraudRules): boolean {
  return Object.keys(rules).length > 0
}

/** What the click-side rules need to know about a conversion. */
export interface ConversionSignals {
  secondsToConvert: number
  /** Undefined when the click row was never written: its rules then have nothing to judge. */
  click: { isBot: boolean; ip: string; country: string | null } | undefined
  /** The `ip` the advertiser sent with the conversion, if any, and its country. */
  conversionIp: { ip: string; country: string | null } | null
  /** The hosting network (ASN) of an address, or null (offline data). */
  datacenterAsn: (ip: string) => number | null
}

/**
 * The flags of the rules that need no counting: click-to-conversion time, a bot click, a
 * datacenter address (the conversion's `ip` when sent, else the click's) and a country mismatch.
 */
export function flagSignals(rules: FraudRules, signals: ConversionSignals): ConversionFlag[] {
  const flags: ConversionFlag[] = []
  const ctit = rules.min_ctit_seconds
  if (ctit && signals.secondsToConvert < ctit.value) {
    flags.push({
      rule: 'min_ctit_seconds',
      observed: signals.secondsToConvert,
      limit: ctit.value,
      action: ctit.action,
    })
  }
  const { click, conversionIp } = signals
  if (rules.bot_click && click?.isBot) {
    flags.push({ rule: 'bot_click', observed: true, limit: false, action: rules.bot_click.action })
  }
  const ip = conversionIp?.ip ?? click?.ip
  if (rules.datacenter_ip && ip !== undefined) {
    const asn = signals.datacenterAsn(ip)
    if (asn !== null) {
      flags.push({
        rule: 'datacenter_ip',
        observed: `${ip} (AS${asn})`,
        limit: null,
        action: rules.datacenter_ip.action,
      })
    }
  }
  const mismatch = rules.country_mismatch
  if (
    mismatch &&
    conversionIp?.country &&
    click?.country &&
    conversionIp.country !== click.country
  ) {
    flags.push({
      rule: 'country_mismatch',
      observed: conversionIp.country,
      limit: click.country,
      action: mismatch.action,
    })
  }
  return flags
}

/** The flag of a velocity rule whose count, this conversion included, is past its limit. */
export function velocityFlag(
  rule: 'max_conversions_per_ip' | 'max_conversions_per_sub1',
  setting: { limit: number; action: FraudAction },
  observed: number,
): ConversionFlag | undefined {
  if (observed <= setting.limit) return undefined
  return { rule, observed, limit: setting.limit, action: setting.action }
}

/**
 * What the flags make of a conversion: the first rejecting rule rejects it (its name the
 * reason), else a holding rule holds it as pending (reason `held`); `allow` only flags.
 */
export function verdictOf(
  flags: readonly ConversionFlag[],
): { status: 'rejected' | 'pending'; reason: string } | undefined {
  const rejecting = flags.find((flag) => flag.action === 'reject')
  if (rejecting) return { status: 'rejected', reason: rejecting.rule }
  if (flags.some((flag) => flag.action === 'hold')) return { status: 'pending', reason: 'held' }
  return undefined
}
