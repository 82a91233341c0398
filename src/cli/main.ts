import { parseArgs } from 'node:util'
import { ConfigError, type ConfigFlags, loadConfig } from '../config.ts'
import { openDatabase } from '../db/database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { runWorker } from '../delivery/index.ts'
import { startServer } from '../main.ts'
import { HELP } from './help.ts'

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const command = positionals[0] ?? (values.help ? 'help' : undefined)
  if (command === undefined || command === 'help' || values.help) {
    process.stdout.write(HELP)
    return command === undefined && !values.help ? 1 : 0
  }
  const flags: ConfigFlags = { port: values.port, host: values.host, db: values.db }
  const config = loadConfig(process.env, flags)
  switch (command) {
    case 'serve':
      return serve(config)
    case 'migrate':
      return migrate(config)
    case 'worker':
      return work(config)
    default:
      process.stderr.write(`unknown command "${command}"\n\n${HELP}`)
      return 1
  }
}

async function serve(config: ReturnType<typeof loadConfig>): Promise<number> {
  // Listening for signals before the server starts: a SIGTERM that arrives just after the
  // "listening on" line (or during start-up) is a clean stop, not the default instant death.
  const signal = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })
  const server = await startServer(config)
  server.app.log.info({ signal: await signal }, 'stopping')
  try {
    await server.close()
  } catch (error) {
    server.app.log.error({ err: error }, 'error while stopping')
  }
  return 0
}

async function work(config: ReturnType<typeof loadConfig>): Promise<number> {
  const signal = new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve())
    process.once('SIGINT', () => resolve())
  })
  const worker = await runWorker(config, (line) => process.stdout.write(`${line}\n`))
  await signal
  await worker.stop()
  return 0
}

async function migrate(config: ReturnType<typeof loadConfig>): Promise<number> {
  const database = openDatabase(config.database)
  try {
    const applied = await migrateToLatest(database.db, database.engine)
    process.stdout.write(
      applied.length > 0 ? `applied ${applied.join(', ')}\n` : 'database schema is up to date\n',
    )
    return 0
  } finally {
    await database.close()
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (
      error instanceof ConfigError ||
      (error as { code?: string })?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      process.stderr.write(`backtrack: ${(error as Error).message}\n`)
    } else {
      process.stderr.write(
        `backtrack: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      )
    }
    process.exitCode = 1
  },
)
