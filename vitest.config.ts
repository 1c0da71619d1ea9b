// One test run for every workspace; each test file runs in its own process (forks), as the engine requires.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{sql,fixtures,api,ingest,web,deploy}/**/*.test.{ts,tsx}'],
    pool: 'forks',
    reporters: ['default', './vitest.summary.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
})
