import pg from 'pg'

/** The PostgreSQL server processes serving one database's connections, for CPU accounting. */
export class BackendPids {
  readonly #client: pg.Client
  readonly #connected: Promise<void>

  constructor(connectionString: string) {
    this.#client = new pg.Client({ connectionString })
    this.#connected = this.#client.connect().then(() => {})
  }

  async pids(): Promise<number[]> {
    await this.#connected
    const result = await this.#client.query<{ pid: number }>(
      `select pid from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid()`,
    )
    return result.rows.map((row) => row.pid)
  }

  async close(): Promise<void> {
    await this.#connected.catch(() => {})
    await this.#client.end()
  }
}
