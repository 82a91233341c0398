import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const WEB_DIR = fileURLToPath(new URL('..', import.meta.url))
const ROOT_DIR = join(WEB_DIR, '..')
/** The built app the server serves; never committed. */
export const WEB_DIST = join(WEB_DIR, 'dist')
const BUILT_MARK = join(WEB_DIST, 'index.html')

/**
 * Builds the web app when its output is missing or older than its sources, so `npm ci` (through
 * `prepare`), `npm start` and the browser tests all find a current `web/dist` with nothing else
 * to run, and a second start costs a few file stats instead of a build.
 */
export async function ensureWebBuilt(): Promise<'built' | 'current'> {
  if (isCurrent()) return 'current'
  // Test files run in parallel processes; one builds while the others wait for it.
  const release = await lock()
  try {
    if (isCurrent()) return 'current'
    await buildWeb()
    return 'built'
  } finally {
    release()
  }
}

function isCurrent(): boolean {
  return existsSync(BUILT_MARK) && newestSource() <= statSync(BUILT_MARK).mtimeMs
}

const LOCK_DIR = join(WEB_DIR, '.build-lock')
const LOCK_STALE_MS = 5 * 60_000

/** Waits for the build lock (a directory: mkdir is atomic); a lock older than 5 min is dead. */
async function lock(): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(LOCK_DIR)
      return () => rmSync(LOCK_DIR, { recursive: true, force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const age = Date.now() - (statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs ?? 0)
      if (age > LOCK_STALE_MS) rmSync(LOCK_DIR, { recursive: true, force: true })
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}

/** Generates the API types from the server's OpenAPI document, then builds with Vite. */
export async function buildWeb(): Promise<void> {
  // Imported here: a start that finds the build current never loads them, and a production
  // install (`npm ci --omit=dev`), which has neither, can still run this file (see below).
  const { generateApiTypes } = await import('./generate-api-types.ts')
  await generateApiTypes()
  const { build } = await import('vite')
  // Vite keeps a NODE_ENV it finds set: under Vitest ('test') it would bundle React's development
  // build, 50 % larger and slower. What is served is the production build, whoever builds it.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({
      configFile: join(WEB_DIR, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
    })
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = nodeEnv
  }
  precompress(WEB_DIST)
}

/**
 * Writes `.br` and `.gz` beside each text file once at build, so the server sends compressed
 * files without compressing on every request (`preCompressed` in src/http/web-app.ts).
 */
function precompress(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) precompress(path)
    else if (/\.(js|css|html|svg|json)$/.test(entry.name)) {
      const content = readFileSync(path)
      writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }))
      writeFileSync(
        `${path}.br`,
        brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      )
    }
  }
}

function newestSource(): number {
  const inputs = [
    join(WEB_DIR, 'src'),
    join(WEB_DIR, 'index.html'),
    join(WEB_DIR, 'vite.config.ts'),
    join(ROOT_DIR, 'package-lock.json'),
  ]
  return Math.max(...inputs.map(newestIn))
}

function newestIn(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (!stat) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestIn(join(path, entry)))
  return newest
}

/**
 * Whether the build tools are installed: a production install (`npm ci --omit=dev`, as the
 * Dockerfile's last stage does) has none of them and serves a `web/dist` built elsewhere.
 */
function canBuild(): boolean {
  try {
    import.meta.resolve('vite')
    import.meta.resolve('openapi-typescript')
    return true
  } catch {
    return false
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force')
  if (!canBuild()) {
    // The `prepare` script of `npm ci --omit=dev` lands here: the install must not fail.
    process.stderr.write(
      existsSync(BUILT_MARK)
        ? 'web app: build tools not installed (production install); serving web/dist as it is\n'
        : 'web app: not built, and the build tools are not installed (production install): copy a web/dist built with `npm ci && npm run build:web`\n',
    )
    if (force) process.exitCode = 1
  } else if (force) await buildWeb()
  else await ensureWebBuilt()
}
