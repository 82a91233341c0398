import type pg from 'pg'

// SQL texts that hot paths run again and again, each with the name PostgreSQL keeps it under.
const names = new Map<string, string>()

/**
 * Marks a fixed SQL text as worth preparing, and returns it unchanged. On PostgreSQL each pooled
 * connection then parses and plans it once, under a name, and later runs send only the
 * arguments: a claim or a batch insert built from CTEs costs more to parse and plan than to run.
 * Only texts from a bounded set belong here (a connection keeps every statement it prepared);
 * SQLite caches its prepared statements by text already.
 */
export function preparedSql(text: string): string {
  if (!names.has(text)) names.set(text, `bt_${names.size + 1}`)
  return text
}

type Query = pg.Client['query']

/**
 * Makes a pooled client run registered texts as named prepared statements. Kysely passes every
 * query to the client as text and values; the name is looked up here from the text.
 */
export function usePreparedStatements(client: pg.Client): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  client.query = ((text: unknown, ...rest: unknown[]) => {
    const name = typeof text === 'string' ? names.get(text) : undefined
    if (name === undefined || !Array.isArray(rest[0])) return query(text, ...rest)
    return query({ name, text, values: rest[0] }, ...rest.slice(1))
  }) as Query
}
