// Entry of the click store thread. node:sqlite warns that it is experimental as soon as it is
// linked, before any module body runs, so the filter is installed first and the modules that load
// node:sqlite are imported only then.
import '../shared/quiet-sqlite-warning.ts'

await import('./click-store-loop.ts')
