import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { type Config, type ConfigFlags, loadConfig } from '../config.ts'
import { StartupError } from '../shared/startup-error.ts'
import { HELP } from './help.ts'

// The server's modules are imported by the command that needs them: loading them all takes
// seconds, which --version, --help and a mistyped flag need not wait for.

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv)
  if (values.version) {
    process.stdout.write(`backtrack ${version()}\n`)
    return 0
  }
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
      throw new StartupError(`unknown command "${command}"; see backtrack --help`)
  }
}

/** node:util's own messages for a bad flag are long and do not point to --help. */
function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS })
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string }
    const flag = /'([^' ]+)/.exec(message ?? '')?.[1]
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new StartupError(`unknown option ${flag ?? ''}; see backtrack --help`)
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new StartupError(`option ${flag ?? ''} needs a value; see backtrack --help`)
    }
    throw error
  }
}

function version(): string {
  const file = new URL('../../package.json', import.meta.url)
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
}

async function serve(config: Config): Promise<number> {
  // Listening for signals before the server starts: a SIGTERM that arrives just after the
  // "listening on" line (or during start-up) is a clean stop, not the default instant death.
  const signal = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })
  const { startServer } = await import('../main.ts')
  const server = await startServer(config)
  server.app.log.info({ signal: await signal }, 'stopping')
  try {
    await server.close()
  } catch (error) {
    server.app.log.error({ err: error }, 'error while stopping')
  }
  return 0
}

async function work(config: Config): Promise<number> {
  const signal = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })
  const { runWorker } = await import('../delivery/index.ts')
  const worker = await runWorker(config, (line) => process.stdout.write(`${line}\n`))
  await worker.stop(await signal)
  return 0
}

async function migrate(config: Config): Promise<number> {
  const { connectDatabase } = await import('../db/connect-database.ts')
  const { migrateToLatest } = await import('../db/migrate.ts')
  const database = await connectDatabase(config.database, {
    waitMs: config.databaseWaitMs,
    onWait: (line) => process.stderr.write(`${line}\n`),
  })
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
    process.stderr.write(
      error instanceof StartupError
        ? `backtrack: ${error.message}\n`
        : `backtrack: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exitCode = 1
    // Whatever start-up left half open (a connection still trying) must not keep the process.
    setTimeout(() => process.exit(1), 2000).unref()
  },
)
