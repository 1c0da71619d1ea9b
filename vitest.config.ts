// Every test runs on the embedded engine; the server project runs the store, ingest and API suites again against a
// real ClickHouse server (chDB's library listening on local ports), plus the server-only tests (*.server.test.ts).
// Each test file runs in its own process (forks), as the embedded engine requires.
import { defineConfig } from 'vitest/config'

/**
 * The suites whose every assertion must hold on a server too (issue 17): store, migrations, ingest, API. The demo
 * generator's own suite is left to the embedded run: on a server its long parameters are covered by
 * store.test.ts and deploy/server/start.server.test.ts, and its file export by faults.server.test.ts.
 */
const onServerToo = [
  'sql/src/{migrate,rollups,scoped-settings,store,lock}.test.ts',
  'ingest/src/{load,drop,crash}.test.ts',
  'api/src/query/metrics.test.ts',
  'api/src/metrics/plan.test.ts',
  'api/src/routes/{access,workflow,ingest}.test.ts',
  'api/src/plugins/errors.test.ts',
]

export default defineConfig({
  test: {
    pool: 'forks',
    reporters: ['default', './vitest.summary.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'embedded',
          include: ['{sql,fixtures,api,ingest,web,deploy}/**/*.test.{ts,tsx}'],
          exclude: ['**/*.server.test.ts', '**/node_modules/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: [...onServerToo, '{sql,fixtures,api,ingest,deploy}/**/*.server.test.ts'],
          globalSetup: ['sql/src/testing/global-setup.ts'],
          env: { QYZMET_TEST_TRANSPORT: 'server' },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
