const MACRO = /\{([A-Za-z0-9_]+)\}/g

/** The macro names a template uses that are not in `allowed`, in order of first use. */
export function unknownMacros(template: string, allowed: ReadonlySet<string>): string[] {
  const unknown = new Set<string>()
  for (const match of template.matchAll(MACRO)) {
    if (!allowed.has(match[1]!)) unknown.add(match[1]!)
  }
  return [...unknown]
}

/**
 * Replaces every `{name}` whose name has a value, passing each value through `encode` (URL or
 * JSON escaping); unknown names stay as written.
 */
export function fillMacros(
  template: string,
  values: Readonly<Record<string, string>>,
  encode: (value: string) => string,
): string {
  return template.replace(MACRO, (whole, name: string) => {
    const value = values[name]
    return value === undefined ? whole : encode(value)
  })
}
