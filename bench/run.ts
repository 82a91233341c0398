// `npm run bench -- <name>…` runs bench/<name>.ts (each exports `run`); with no name, all of them.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const available = readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.slice(0, -3))
  .sort()
const asked = process.argv.slice(2)
const unknown = asked.filter((name) => !available.includes(name))
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}`)
  process.exit(1)
}
for (const name of asked.length > 0 ? asked : available) {
  const module = (await import(join(import.meta.dirname, `${name}.ts`))) as {
    run: () => Promise<void>
  }
  await module.run()
}
