import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The app is built into web/dist, which the server serves (src/http/web-app.ts). Hashed file
// names under assets/ let the server cache them for a year.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // The budget is 250 kB gzipped for the first page (shell + dashboard, ~180 kB); the shell
    // chunk is ~490 kB before compression, past Vite's default 500 kB warning only by a little.
    chunkSizeWarningLimit: 600,
    // Which chunks each page loads: test/http/web-app.test.ts checks the first page's budget.
    manifest: true,
  },
  // `npm run dev:web` beside `npm start`: the API calls go to the running server.
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/c/': 'http://127.0.0.1:8080' },
  },
})
