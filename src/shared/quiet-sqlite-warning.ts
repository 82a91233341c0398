// node:sqlite still marks itself experimental on Node 24; the warning is noise for our users.
// Installed by every entry point (the CLI, the click store thread) before the modules that load
// node:sqlite are imported, dynamically: a static import links node:sqlite, and warns, before any
// module body runs.
const emitWarning = process.emitWarning
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning?.message
  if (typeof text === 'string' && text.startsWith('SQLite is an experimental feature')) return
  return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest)
}) as typeof process.emitWarning
