import type { PostgresPool, PostgresPoolClient } from 'kysely'
import type pg from 'pg'
import { isDatabaseUnavailable } from './database-unavailable.ts'
import type { WriteHealth } from './write-health.ts'

/**
 * Presents pg's pool to kysely's PostgresDialect through the client shape kysely drives (as
 * `adaptNodeSqlite` does for node:sqlite), with two additions. A text this storage registered in
 * `names` runs as the named prepared statement kept under that name: kysely hands a client only
 * the SQL text and its values, so the name is looked up here from the text; pg parses and plans a
 * named statement once per connection and afterwards sends only the arguments. And a connection
 * that fails is put out of use without ending the process (see `preparingClient`).
 */
export function preparingPool(
  pool: pg.Pool,
  names: ReadonlyMap<string, string>,
  health: WriteHealth,
): PostgresPool {
  // Kysely keeps one connection object per client, so each pooled client keeps its one wrapper.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>()
  return {
    options: pool.options,
    async connect() {
      const client = await pool.connect()
      let wrapper = wrappers.get(client)
      if (!wrapper) {
        wrapper = preparingClient(client, names, health)
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
  health: WriteHealth,
): PostgresPoolClient {
  // The pool listens for errors only on idle clients. A checked-out client whose connection
  // drops emits 'error', which unheard would end the process; the query it was running has been
  // failed with the same error already, so here the connection is only marked broken.
  let broken = false
  client.on('error', () => {
    broken = true
  })
  const query = async (text: string, values: unknown[]) => {
    // PostgreSQL rolls back the transaction of a connection that closed; a ROLLBACK sent on it
    // would fail and hide the error that ended the transaction.
    if (broken && text === 'rollback') return { rows: [], command: 'ROLLBACK', rowCount: 0 }
    const name = names.get(text)
    try {
      const result = await (name === undefined
        ? client.query(text, values)
        : client.query({ name, text, values }))
      if (text === 'commit') health.succeeded()
      return result
    } catch (error) {
      // A read timeout leaves the statement running on the connection: it must not be reused.
      if (isDatabaseUnavailable(error) && !(error as { code?: unknown }).code) broken = true
      health.failed(error)
      throw error
    }
  }
  return {
    get processID() {
      return (client as pg.PoolClient & { processID?: number }).processID
    },
    query: query as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy || broken),
  }
}
