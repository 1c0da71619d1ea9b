// Vite build of the dashboard: root web/, output web/dist, /api proxied to the API in development.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const here = fileURLToPath(new URL('.', import.meta.url))
const boundaries = fileURLToPath(new URL('../sql/reference/geo/kz_regions_2024.geojson', import.meta.url))
/** Where the app fetches region boundaries from; served in dev, emitted into dist at build. */
export const boundariesPath = 'geo/kz_regions.geojson'

// The boundaries stay in fixtures/ (one copy, with their licence); the build copies them next to the app.
function regionBoundaries(): Plugin {
  return {
    name: 'qyzmet-region-boundaries',
    configureServer(server) {
      server.middlewares.use(`/${boundariesPath}`, (_request, response) => {
        response.setHeader('content-type', 'application/geo+json')
        response.end(readFileSync(boundaries))
      })
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: boundariesPath, source: readFileSync(boundaries) })
    },
  }
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), regionBoundaries()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://localhost:8080' } },
})
