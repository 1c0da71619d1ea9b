// Builds the dashboard (web/ → web/dist) when it is missing or older than its sources, so `npm start` serves it.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const newest = (path) => {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
}

const built = 'web/dist/index.html'
const sources = ['web/src', 'web/index.html', 'web/vite.config.ts'].filter(existsSync)
if (!existsSync('web/index.html')) process.exit(0)
if (
  existsSync(built) &&
  statSync(built).mtimeMs >= Math.max(...sources.map(newest)) &&
  !process.argv.includes('--force')
) {
  process.exit(0)
}
console.log('dashboard: building web/ …')
const result = spawnSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { stdio: 'inherit' })
if (result.status !== 0) {
  // The API is still worth starting: say so plainly, and let `npm run build:web` show the error again.
  console.error('dashboard: the build failed (above); starting the API without it.')
  process.exit(process.argv.includes('--force') ? 1 : 0)
}

// Brotli and gzip beside every text file, made once here at the highest levels; the server sends what the client takes.
const compressible = /\.(js|css|html|json|geojson|svg|txt)$/
const files = (dir) =>
  readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)],
  )
for (const file of files('web/dist').filter((path) => compressible.test(path))) {
  const content = readFileSync(file)
  writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }))
  writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }))
}
