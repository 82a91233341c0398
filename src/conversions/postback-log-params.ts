import { PARAMETER_ALIASES, type RawParams } from './postback-params.ts'

const SECRET_NAME = /token|secret|password|passwd|signature|api_?key|^key$|^secure$/i
const MAX_VALUE_CHARS = 500
const MAX_PARAMS = 50
/** The most a call's stored parameters take, as JSON; the rest are counted, not kept. */
export const MAX_PARAMS_CHARS = 2048

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
 * parameter given once as a value and given several times as an array; at most MAX_PARAMS_CHARS
 * in all (then `"…"` says how many parameters were left out), so no call can make a large row.
 */
export function maskedParams(raw: RawParams): string {
  const out: Record<string, string | number | Array<string | number>> = {}
  let count = 0
  let size = 2
  for (const [name, values] of raw) {
    const secret = isSecretParam(name)
    const shown = values.map((value) => (secret ? '***' : cut(value)))
    const entry = shown.length === 1 ? shown[0]! : shown
    const entrySize = JSON.stringify(cut(name)).length + JSON.stringify(entry).length + 2
    // Room is kept for the `"…"` entry itself.
    if (count >= MAX_PARAMS || size + entrySize > MAX_PARAMS_CHARS - 40) {
      out['…'] = `${raw.size - count} more parameters not kept`
      break
    }
    out[cut(name)] = entry
    size += entrySize
    count++
  }
  return JSON.stringify(out)
}

function cut(value: string | number): string | number {
  if (typeof value === 'number' || value.length <= MAX_VALUE_CHARS) return value
  return `${value.slice(0, MAX_VALUE_CHARS)}…`
}
