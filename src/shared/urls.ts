/**
 * Whether a URL template is an absolute http(s) URL once its `{macros}` are filled. The template
 * itself is stored as written, so macros survive in any part of the URL.
 */
export function isHttpUrlTemplate(template: string): boolean {
  if (template.length > 4096 || /[\s\p{Cc}]/u.test(template)) return false
  let url: URL
  try {
    url = new URL(template.replace(/\{[A-Za-z0-9_]+\}/g, 'x'))
  } catch {
    return false
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
}

/** The hostname of a URL template with its macros filled by a placeholder; undefined if invalid. */
export function templateHostname(template: string): string | undefined {
  try {
    return new URL(template.replace(/\{[A-Za-z0-9_]+\}/g, 'x')).hostname
  } catch {
    return undefined
  }
}

/**
 * Whether every `{macro}` of a URL template sits after its host: in the path, query or fragment.
 * The text before the first macro must already hold `scheme://authority` and the character that
 * ends the authority, so no filled value can choose the host, the port or the userinfo.
 */
export function macrosOnlyAfterHost(template: string): boolean {
  const first = /\{[A-Za-z0-9_]+\}/.exec(template)
  if (first === null) return true
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\{}]*[/?#]/i.test(template.slice(0, first.index))
}
