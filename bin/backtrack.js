#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=50
// The V8 flags keep memory near what the server uses. Its live heap is ~30 MB, yet under click
// load V8's defaults grow the young generation to 128 MB and let garbage fill the old one to
// several times the live size before collecting: 400 MB resident instead of about 240 MB, for no
// measurable gain in speed. To choose other flags, run `node <flags> bin/backtrack.js …`.
// Entry point for `npx backtrack` and the npm scripts. npm puts node_modules/.bin first on PATH,
// so `node` here is the Node 24 runtime that the `node` dependency installs, whatever the system has.
const [major] = process.versions.node.split('.').map(Number)
if (major < 24) {
  console.error(
    `backtrack needs Node.js 24 or newer (this is ${process.version}). ` +
      'Run it through npm (`npm start`, `npx backtrack`), which uses the Node.js that `npm ci` installed.',
  )
  process.exit(1)
}

// A standalone delivery worker serves no clicks: its memory is small whatever V8 does, and under
// the server's flags it spent a fifth of its time collecting garbage (a fifth more CPU per
// delivery). Started with exactly the shebang's flags, it replaces itself (same pid, same stdio)
// with a process on V8's defaults; flags chosen by hand (`node <flags> bin/backtrack.js worker`)
// are kept.
if (process.argv[2] === 'worker') {
  const { readFileSync } = await import('node:fs')
  const shebang = readFileSync(import.meta.filename, 'utf8').split('\n', 1)[0]
  const serverFlags = shebang.split(' ').filter((word) => word.startsWith('--'))
  if (process.execArgv.join(' ') === serverFlags.join(' ')) {
    // The environment must be passed on: without it the new process starts with none.
    const args = [process.execPath, import.meta.filename, ...process.argv.slice(2)]
    process.execve(process.execPath, args, process.env)
  }
}

await import('../src/shared/quiet-sqlite-warning.ts')
await import('../src/cli/main.ts')
