// Builds the dashboard (web/ → web/dist) when it is missing or older than its sources, so `npm start` serves it.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

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
