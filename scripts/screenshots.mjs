// Regenerates the README's pictures (docs/screenshots/) from the browser tests, so that they show what the code
// does today: the public home from web/src/portal-e2e.test.ts, the analyst Overview from web/src/e2e.test.ts.
import { spawnSync } from 'node:child_process'

const result = spawnSync('npx', ['vitest', 'run', 'web/src/portal-e2e.test.ts', 'web/src/e2e.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, QYZMET_README_SHOTS: '1' },
})
if (result.status !== 0) {
  console.error('screenshots: the browser tests failed (above); docs/screenshots/ may be incomplete.')
  process.exit(result.status ?? 1)
}
console.log('screenshots: docs/screenshots/public-home.png and docs/screenshots/analyst-overview.png written.')
