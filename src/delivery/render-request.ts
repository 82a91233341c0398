import { POSTBACK_MACROS } from '../shared/macro-names.ts'
import { fillMacros } from '../shared/macros.ts'

export interface EndpointTemplate {
  url: string
  method: 'GET' | 'POST'
  body_template: string | null
  content_type: string | null
}

export interface RenderedRequest {
  method: 'GET' | 'POST'
  url: string
  body: string | null
  content_type: string | null
}

/** A JSON string's contents without its quotes, so a value can sit inside `"…"` in a template. */
function escapeJson(value: string): string {
  return JSON.stringify(value).slice(1, -1)
}

function bodyEncoder(contentType: string | null): (value: string) => string {
  const type = (contentType ?? '').toLowerCase()
  if (type.includes('json')) return escapeJson
  if (type.includes('x-www-form-urlencoded')) return encodeURIComponent
  return (value) => value
}

/**
 * Fills an endpoint's templates: URL-encoded in the URL, JSON-escaped in a JSON body. Every
 * contract macro has a value (empty when unknown), so no `{name}` is ever sent as written. A POST
 * without a body template sends every macro as one JSON object.
 */
export function renderRequest(
  endpoint: EndpointTemplate,
  macros: Readonly<Record<string, string>>,
  names: ReadonlySet<string> = POSTBACK_MACROS,
): RenderedRequest {
  const values: Record<string, string> = {}
  for (const name of names) values[name] = macros[name] ?? ''
  const url = fillMacros(endpoint.url, values, encodeURIComponent)
  if (endpoint.method === 'GET') return { method: 'GET', url, body: null, content_type: null }
  const contentType = endpoint.content_type ?? 'application/json'
  const body =
    endpoint.body_template === null
      ? JSON.stringify(values)
      : fillMacros(endpoint.body_template, values, bodyEncoder(contentType))
  return { method: 'POST', url, body, content_type: contentType }
}
