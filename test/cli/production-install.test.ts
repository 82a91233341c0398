import { execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureWebBuilt, WEB_DIST } from '../../web/tools/build-web.ts'
import { waitFor } from '../helpers/wait-for.ts'

const ROOT = join(import.meta.dirname, '../..')
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')

/** The Dockerfile's last `name [json array]` instruction (ENTRYPOINT, CMD, HEALTHCHECK … CMD). */
function instruction(pattern: RegExp): string[] {
  const matches = [...DOCKERFILE.matchAll(pattern)]
  const last = matches.at(-1)?.[1]
  if (last === undefined) throw new Error(`no ${pattern} in the Dockerfile`)
  return JSON.parse(last) as string[]
}

/** What git tracks, less what .dockerignore keeps out of the image's build context. */
function imageFiles(): string[] {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => new RegExp(`^${line.replaceAll('.', '\\.').replaceAll('*', '[^/]*')}(/|$)`))
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(ROOT, file)))
    .filter((file) => !ignored.some((pattern) => pattern.test(file)))
}

// The image's last stage, step by step: the sources, the web app built by the first stage, then
// `npm ci --omit=dev` (offline-friendly: the packages come from npm's cache when it has them).
describe('the production install the Dockerfile makes', () => {
  let app: string
  let server: ReturnType<typeof spawn> | undefined
  let output = ''
  let url = ''

  beforeAll(async () => {
    expect(DOCKERFILE).toMatch(/RUN npm ci --omit=dev/)
    await ensureWebBuilt()
    app = mkdtempSync(join(tmpdir(), 'backtrack-production-'))
    for (const file of imageFiles()) {
      mkdirSync(dirname(join(app, file)), { recursive: true })
      cpSync(join(ROOT, file), join(app, file))
    }
    cpSync(WEB_DIST, join(app, 'web/dist'), { recursive: true })
    execFileSync('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: app,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'pipe',
    })
  }, 300_000)

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve))
      server.kill('SIGKILL')
      await exited
    }
    if (app) rmSync(app, { recursive: true, force: true })
  })

  /** The image's environment: its node_modules/.bin first on PATH, its /data elsewhere here. */
  function imageEnv(): NodeJS.ProcessEnv {
    return {
      PATH: `${join(app, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      BACKTRACK_DB: join(app, 'data/backtrack.db'),
      BACKTRACK_UNWRITTEN_CLICKS: join(app, 'data/unwritten-clicks.jsonl'),
      BACKTRACK_LOG_LEVEL: 'warn',
    }
  }

  it('installs no development dependency and keeps the prebuilt console', () => {
    for (const tool of ['vite', 'vitest', 'typescript', 'react', '@biomejs/biome']) {
      expect(existsSync(join(app, 'node_modules', tool)), tool).toBe(false)
    }
    expect(existsSync(join(app, 'web/dist/index.html'))).toBe(true)
  })

  it('starts with the image command and answers /healthz and the console', async () => {
    const [file, ...args] = [
      ...instruction(/^ENTRYPOINT (\[.*\])$/gm),
      ...instruction(/^CMD (\[.*\])$/gm),
    ]
    expect([file, ...args]).toEqual(['/app/bin/backtrack.js', 'serve'])
    // The image's /app is the temporary copy here.
    server = spawn(join(app, file!.replace(/^\/app\//, '')), args, {
      cwd: app,
      env: imageEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    server.stdout?.on('data', (chunk) => {
      output += chunk
    })
    server.stderr?.on('data', (chunk) => {
      output += chunk
    })
    url = (
      await waitFor(
        () => {
          if (server?.exitCode !== null) throw new Error(`exited before listening:\n${output}`)
          return /listening on (http:\/\/\S+)/.exec(output)
        },
        { timeoutMs: 60_000, message: '"listening on"' },
      )
    )[1]!

    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })

    // A bookmarked console page gets the built index.html, and its script is served.
    const page = await fetch(`${url}/offers?status=paused`, { headers: { accept: 'text/html' } })
    expect(page.status).toBe(200)
    const html = await page.text()
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1]
    expect(script).toBeDefined()
    const asset = await fetch(`${url}${script}`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toContain('immutable')
  }, 90_000)

  it("passes the image's HEALTHCHECK command", () => {
    const [file, ...args] = instruction(/^\s+CMD (\[.*\])$/gm)
    expect(file).toBe('node')
    const port = new URL(url).port
    // Throws (a non-zero exit) when the check fails.
    execFileSync(file!, args, { cwd: app, env: { ...imageEnv(), PORT: port }, stdio: 'pipe' })
  })

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server?.once('exit', resolve))
    server?.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
