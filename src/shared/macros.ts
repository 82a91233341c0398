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

/** A template split once into its text and macro names, to fill many times. */
export interface MacroTemplate {
  /** The text around the macros: one more than `names`. */
  readonly texts: readonly string[]
  readonly names: readonly string[]
}

export function compileMacros(template: string): MacroTemplate {
  const texts: string[] = []
  const names: string[] = []
  let from = 0
  for (const match of template.matchAll(MACRO)) {
    texts.push(template.slice(from, match.index))
    names.push(match[1]!)
    from = match.index + match[0].length
  }
  texts.push(template.slice(from))
  return { texts, names }
}

/**
 * Fills a compiled template as `fillMacros` fills its text: each macro `valueFor` knows is passed
 * through `encode`, the others stay as written. `valueFor` is asked only for the macros used.
 */
export function fillCompiled<Source>(
  template: MacroTemplate,
  source: Source,
  valueFor: (source: Source, name: string) => string | undefined,
  encode: (value: string) => string,
): string {
  const { texts, names } = template
  let filled = texts[0]!
  for (let i = 0; i < names.length; i++) {
    const value = valueFor(source, names[i]!)
    filled += value === undefined ? `{${names[i]}}` : encode(value)
    filled += texts[i + 1]!
  }
  return filled
}
