// Vite build of the dashboard: root web/, output web/dist, /api proxied to the API in development.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from '@formatjs/icu-messageformat-parser'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const here = fileURLToPath(new URL('.', import.meta.url))
/** Region boundaries the app fetches (served in dev, emitted into dist at build): of 2024, and of 2018 for maps of
 * periods before the regions of 8 June 2022. */
const boundaryFiles = [
  { path: 'geo/kz_regions.geojson', file: 'kz_regions_2024.geojson' },
  { path: 'geo/kz_regions_2018.geojson', file: 'kz_regions_2018.geojson' },
].map(({ path, file }) => ({ path, file: fileURLToPath(new URL(`../sql/reference/geo/${file}`, import.meta.url)) }))
/** Where the app fetches the 2024 region boundaries from. */
export const boundariesPath = 'geo/kz_regions.geojson'

// The boundaries stay in sql/reference/geo (one copy, with their licence); the build copies them next to the app.
function regionBoundaries(): Plugin {
  return {
    name: 'qyzmet-region-boundaries',
    configureServer(server) {
      for (const { path, file } of boundaryFiles) {
        server.middlewares.use(`/${path}`, (_request, response) => {
          response.setHeader('content-type', 'application/geo+json')
          response.end(readFileSync(file))
        })
      }
    },
    generateBundle() {
      for (const { path, file } of boundaryFiles)
        this.emitFile({ type: 'asset', fileName: path, source: readFileSync(file) })
    },
  }
}

// Interface strings are parsed from ICU text once, here, rather than in every browser: the message modules are
// shipped as parsed messages, and the app ships intl-messageformat without its parser (about 10 KB gzip less).
// Tests (vitest) read the same modules as text, parsed by the full library.
const messageModule = /\/web\/src\/messages\/(en|kk|ru)\.ts(?:\?.*)?$/
function precompiledMessages(): Plugin {
  return {
    name: 'qyzmet-icu-messages',
    // After TypeScript is stripped: the module is then plain JavaScript with one exported object of strings.
    enforce: 'post',
    async transform(code, id) {
      const lang = messageModule.exec(id)?.[1]
      if (!lang) return null
      const loaded = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<
        string,
        Record<string, string>
      >
      const texts = loaded[lang]
      if (!texts) throw new Error(`${id} does not export ${lang}`)
      const parsed = Object.fromEntries(Object.entries(texts).map(([key, text]) => [key, parse(text)]))
      return { code: `export const ${lang} = ${JSON.stringify(parsed)}\n`, map: null }
    },
  }
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), regionBoundaries(), precompiledMessages()],
  resolve: {
    alias: [
      { find: /^@formatjs\/icu-messageformat-parser$/, replacement: '@formatjs/icu-messageformat-parser/no-parser.js' },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://localhost:8080' } },
})
