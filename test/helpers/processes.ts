import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import type { DatabaseConfig } from '../../src/config.ts'
import { waitFor } from './wait-for.ts'

const BIN = join(import.meta.dirname, '../../bin/backtrack.js')

export interface Child {
  process: ChildProcess
  output(): string
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
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    process: child,
    output: () => output,
    exited,
    async waitFor(pattern, timeoutMs = 20_000) {
      const what = `${pattern} in the output of backtrack ${args.join(' ')}`
      try {
        return await waitFor(
          () => {
            const match = output.match(pattern)
            if (!match && child.exitCode !== null) throw new Error(`exited without ${what}`)
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

/** The environment that points a child process at a test database. */
export function databaseEnv(config: DatabaseConfig): Record<string, string> {
  if (config.engine === 'sqlite') return { BACKTRACK_DB: config.path }
  const url = new URL(config.url)
  if (config.schema) url.searchParams.set('options', `-c search_path=${config.schema}`)
  return { DATABASE_URL: url.href }
}
