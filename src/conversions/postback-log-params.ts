import { PARAMETER_ALIASES, type RawParams } from './postback-params.ts'

const SECRET_NAME = /token|secret|password|passwd|signature|api_?key|^key$|^secure$/i
const MAX_VALUE_CHARS = 500
const MAX_PARAMS = 50

/**
 * Whether a parameter, by its decoded name, carries a secret: an alias of the advertiser's token
 * (`secure`, `security_token`, …) or a secret-looking name, in any case and with a `[]`-style
 * suffix. The postback log and the request log both mask by this one rule.
 */
export function isSecretParam(decodedName: string): boolean {
  const name = decodedName.trim().replace(/\[[^\]]*\]$/, '')
  return PARAMETER_ALIASES[name.toLowerCase()] === 'token' || SECRET_NAME.test(name)
}

/**
 * The parameters of a call as the postback log keeps them: secrets masked, long values cut, a
 * parameter given once as a value and given several times as an array.
 */
export function maskedParams(raw: RawParams): string {
  const out: Record<string, string | number | Array<string | number>> = {}
  let count = 0
  for (const [name, values] of raw) {
    if (++count > MAX_PARAMS) break
    const secret = isSecretParam(name)
    const shown = values.map((value) => (secret ? '***' : cut(value)))
    out[cut(name)] = shown.length === 1 ? shown[0]! : shown
  }
  return JSON.stringify(out)
}

function cut(value: string | number): string | number {
  if (typeof value === 'number' || value.length <= MAX_VALUE_CHARS) return value
  return `${value.slice(0, MAX_VALUE_CHARS)}…`
}
