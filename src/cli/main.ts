import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { type Config, type ConfigFlags, loadConfig } from '../config.ts'
import { StartupError } from '../shared/startup-error.ts'
import { rotateAdminKeyCommand } from './admin-key.ts'
import { backupCommand } from './backup.ts'
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
    case 'admin-key':
      if (positionals[1] !== 'rotate') {
        throw new StartupError('usage: backtrack admin-key rotate; see backtrack --help')
      }
      return rotateAdminKeyCommand(config)
    case 'backup':
      return backupCommand(config, positionals[1])
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
  const stop = stopSignal()
  const { startServer } = await import('../main.ts')
  const server = await startServer(config, { signal: stop.signal })
  server.app.log.info({ signal: await stop.received }, 'stopping')
  try {
    await server.close()
  } catch (error) {
    server.app.log.error({ err: error }, 'error while stopping')
  }
  return 0
}

async function work(config: Config): Promise<number> {
  const stop = stopSignal()
  const { runWorker } = await import('../delivery/index.ts')
  const print = (line: string) => process.stdout.write(`${line}\n`)
  const worker = await runWorker(config, print, {}, stop.signal)
  await worker.stop(await stop.received)
  return 0
}

/**
 * Listening for signals before anything starts: a SIGTERM that arrives just after the "listening
 * on" line (or during start-up) is a clean stop, not the default instant death. During start-up
 * it also ends a wait for the database.
 */
function stopSignal(): { received: Promise<string>; signal: AbortSignal } {
  const controller = new AbortController()
  const received = new Promise<string>((resolve) => {
    const stop = (name: string) => {
      controller.abort()
      resolve(name)
    }
    process.once('SIGTERM', () => stop('SIGTERM'))
    process.once('SIGINT', () => stop('SIGINT'))
  })
  return { received, signal: controller.signal }
}

async function migrate(config: Config): Promise<number> {
  const { connectDatabase } = await import('../db/connect-database.ts')
  const { migrateToLatest } = await import('../db/migrate.ts')
  // A signal ends the wait for the database; once connected, it ends the process as usual.
  const waiting = new AbortController()
  const stopWaiting = () => waiting.abort()
  process.once('SIGTERM', stopWaiting).once('SIGINT', stopWaiting)
  const database = await connectDatabase(config.database, {
    waitMs: config.databaseWaitMs,
    onWait: (line) => process.stderr.write(`${line}\n`),
    signal: waiting.signal,
  }).finally(() => process.off('SIGTERM', stopWaiting).off('SIGINT', stopWaiting))
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
