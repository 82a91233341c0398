import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import type { DatabaseConfig } from '../../src/config.ts'
import { httpRequest, TEST_ADMIN_KEY, type TestServer } from './test-server.ts'
import { waitFor } from './wait-for.ts'

const BIN = join(import.meta.dirname, '../../bin/backtrack.js')

export interface Child {
  process: ChildProcess
  /** stdout and stderr together, in the order they arrived. */
  output(): string
  stdout(): string
  stderr(): string
  exited: Promise<number | null>
  /** Resolves with the first match of `pattern` in the output. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** Runs `backtrack <args>` as a child process, the way an operator would. */
export function runBacktrack(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
    stdout += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
    stderr += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    process: child,
    output: () => output,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitFor(pattern, timeoutMs = 20_000) {
      const what = `${pattern} in the output of backtrack ${args.join(' ')}`
      try {
        return await waitFor(
          () => {
            const match = output.match(pattern)
            if (!match && (child.exitCode !== null || child.signalCode !== null))
              throw new Error(`exited without ${what}`)
            return match
          },
          { timeoutMs, message: what },
        )
      } catch (error) {
        throw new Error(`${(error as Error).message}:\n${output}`)
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
  }
}

export interface ServeProcess {
  child: Child
  /** Base URL it listens on, from its "listening on" line. */
  url: string
  /** Calls its API over HTTP, as `TestServer.request` does (admin key unless told). */
  request: TestServer['request']
}

/**
 * Starts `backtrack serve` as an OS process on a loopback port of its own (admin key
 * `TEST_ADMIN_KEY`, `env` on top) and resolves once it prints its "listening on" line (within
 * `startTimeoutMs`).
 */
export async function serveProcess(
  env: Record<string, string>,
  startTimeoutMs = 45_000,
): Promise<ServeProcess> {
  const child = runBacktrack(['serve'], {
    PORT: '0',
    HOST: '127.0.0.1',
    BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY,
    BACKTRACK_LOG_LEVEL: 'warn',
    ...env,
  })
  try {
    const url = (await child.waitFor(/listening on (http:\/\/\S+)/, startTimeoutMs))[1]!
    return {
      child,
      url,
      request: (method, path, options) => httpRequest(url, method, path, options),
    }
  } catch (error) {
    await child.stop('SIGKILL')
    throw error
  }
}

/** The environment that points a child process at a test database. */
export function databaseEnv(config: DatabaseConfig): Record<string, string> {
  if (config.engine === 'sqlite') return { BACKTRACK_DB: config.path }
  const url = new URL(config.url)
  if (config.schema) url.searchParams.set('options', `-c search_path=${config.schema}`)
  return { DATABASE_URL: url.href }
}
