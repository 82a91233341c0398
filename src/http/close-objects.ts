type Schema = Record<string, unknown>

// Where subschemas sit, by keyword: one schema, a list of them, or a map of them.
const ONE = ['items', 'not', 'if', 'then', 'else', 'contains', 'additionalItems'] as const
const LIST = ['anyOf', 'oneOf', 'prefixItems'] as const
const MAP = ['properties', '$defs', 'definitions'] as const

const closed = new WeakMap<object, unknown>()

/**
 * A copy of a request schema in which every object that does not say otherwise refuses
 * properties it does not name (`additionalProperties: false`), nested ones too. One rule for every
 * body and query string, so a misspelt or forbidden field is a 400 naming it rather than silently
 * dropped or, worse, written. A schema that accepts extras says so with `additionalProperties`.
 * `allOf` members are left open: closing each would refuse the others' properties.
 */
export function closeObjects<T>(schema: T): T {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema
  const known = closed.get(schema)
  if (known !== undefined) return known as T
  const source = schema as Schema
  const copy: Schema = { ...source }
  for (const key of ONE) if (key in source) copy[key] = closeObjects(source[key])
  for (const key of LIST) {
    const list = source[key]
    if (Array.isArray(list)) copy[key] = list.map((item) => closeObjects(item))
  }
  for (const key of MAP) {
    const map = source[key]
    if (typeof map === 'object' && map !== null) {
      copy[key] = Object.fromEntries(
        Object.entries(map).map(([name, item]) => [name, closeObjects(item)]),
      )
    }
  }
  const isObject = source.type === 'object' || 'properties' in source
  if (isObject && !('additionalProperties' in source) && !('patternProperties' in source)) {
    copy.additionalProperties = false
  }
  closed.set(schema, copy)
  return copy as T
}
