import type { PostgresPool, PostgresPoolClient } from 'kysely'
import type pg from 'pg'

/**
 * Presents pg's pool to kysely's PostgresDialect through the client shape kysely drives (as
 * `adaptNodeSqlite` does for node:sqlite), with one addition: a text this storage registered in
 * `names` runs as the named prepared statement kept under that name. Kysely hands a client only
 * the SQL text and its values, so the name is looked up here from the text; pg parses and plans a
 * named statement once per connection and afterwards sends only the arguments.
 */
export function preparingPool(pool: pg.Pool, names: ReadonlyMap<string, string>): PostgresPool {
  // Kysely keeps one connection object per client, so each pooled client keeps its one wrapper.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>()
  return {
    options: pool.options,
    async connect() {
      const client = await pool.connect()
      let wrapper = wrappers.get(client)
      if (!wrapper) {
        wrapper = preparingClient(client, names)
        wrappers.set(client, wrapper)
      }
      return wrapper
    },
    end: () => pool.end(),
  }
}

function preparingClient(
  client: pg.PoolClient,
  names: ReadonlyMap<string, string>,
): PostgresPoolClient {
  const query = (text: string, values: unknown[]) => {
    const name = names.get(text)
    return name === undefined ? client.query(text, values) : client.query({ name, text, values })
  }
  return {
    get processID() {
      return (client as pg.PoolClient & { processID?: number }).processID
    },
    query: query as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy),
  }
}
