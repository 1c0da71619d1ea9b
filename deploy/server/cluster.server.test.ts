// The cluster variant on two real shards: the schema on each node, ingest through the Distributed table, and every
// dashboard query through it answered exactly as the embedded engine answers it on the same rows.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '@qyzmet/api/app'
import { createToken } from '@qyzmet/api/tokens'
import { loadDemoTargets } from '@qyzmet/fixtures'
import { exportDemo } from '@qyzmet/fixtures/export'
import { loadFile } from '@qyzmet/ingest/load'
import { loadConfig, loadReference, migrate, openStore, type Store } from '@qyzmet/sql'
import { startTestCluster, type TestCluster } from '@qyzmet/sql/testing/clickhouse-server'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const work = mkdtempSync(join(tmpdir(), 'qyzmet-cluster-'))
const rows = 60_000
let cluster: TestCluster
let embedded: Store
let coordinator: Store
const nodes: Store[] = []

const clusterEnv = (url: string) => ({
  CLICKHOUSE_URL: url,
  QYZMET_CLUSTER: cluster.name,
  // Local mode refuses ON CLUSTER and replication: each node is migrated by itself, shards are plain MergeTree.
  QYZMET_CLUSTER_DDL: 'per-node',
})

beforeAll(async () => {
  cluster = await startTestCluster()
  for (const node of cluster.nodes) {
    const store = await openStore(loadConfig(clusterEnv(node.url)))
    await migrate(store)
    // Not replicated here: each node's views read its own copy of the channels.
    await loadReference(store)
    nodes.push(store)
  }
  coordinator = nodes[0] as Store
  embedded = await openStore(loadConfig({ QYZMET_DATA_DIR: join(work, 'embedded'), CLICKHOUSE_URL: '' }))
  await migrate(embedded)
  await loadReference(embedded)
  // The same rows for both, through ingest: a file read by the embedded engine, streamed into the cluster.
  const file = join(work, 'events.csv')
  await exportDemo(embedded, { rows, seed: 5, until: '2026-10-31' }, file)
  for (const store of [embedded, coordinator]) {
    expect(await loadFile(store, file, { source: 'cluster', bucketRows: 20_000 })).toMatchObject({
      state: 'done',
      loaded: rows,
    })
    await loadDemoTargets(store)
  }
})
afterAll(async () => {
  for (const store of [...nodes, embedded]) await store?.close()
  await cluster?.stop()
  rmSync(work, { recursive: true, force: true })
})

describe('ingest through the Distributed table', () => {
  it('splits the events and their rollups across both shards, none lost or doubled', async () => {
    const counts = []
    for (const node of nodes) {
      const [row] = await node.rows<{ events: string; daily: string }>(
        'test:shard',
        'SELECT (SELECT count() FROM events_local) AS events, (SELECT sum(transactions) FROM rollup_daily_local) AS daily',
      )
      counts.push({ events: Number(row?.events), daily: Number(row?.daily) })
    }
    for (const shard of counts) expect(shard.events).toBeGreaterThan(rows / 4)
    expect(counts.reduce((sum, shard) => sum + shard.events, 0)).toBe(rows)
    expect(counts.reduce((sum, shard) => sum + shard.daily, 0)).toBe(rows)
    const [all] = await coordinator.rows<{ n: string; ids: string }>(
      'test:all',
      'SELECT count() AS n, uniqExact(event_id) AS ids FROM events',
    )
    expect([Number(all?.n), Number(all?.ids)]).toEqual([rows, rows])
  })
})

/** When each store loaded its rows or targets: what may differ between the two. */
const volatile = new Set(['lastIngestedAt', 'updatedAt'])

/** Equal JSON, numbers to 1e-9 relative: shards sum floating-point parts in another order. */
function expectSame(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)))
    return
  }
  if (expected !== null && typeof expected === 'object') {
    expect(typeof actual, path).toBe('object')
    const keys = Object.keys(expected as object)
    expect(Object.keys(actual as object).sort(), path).toEqual([...keys].sort())
    for (const key of keys.filter((name) => !volatile.has(name)))
      expectSame((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`)
    return
  }
  expect(actual, path).toEqual(expected)
}

describe('the dashboard on the cluster', () => {
  it('answers every metric’s series, breakdowns and comparison as the embedded engine does', async () => {
    const apps: FastifyInstance[] = []
    const tokens: string[] = []
    for (const store of [embedded, coordinator]) {
      apps.push(await buildApp(store, { dashboard: false }))
      tokens.push((await createToken(store, { name: 'analyst', role: 'analyst' })).token)
    }
    const ask = (index: number, url: string) =>
      (apps[index] as FastifyInstance).inject({ url, headers: { authorization: `Bearer ${tokens[index]}` } })
    try {
      const registry = (await ask(0, '/api/v1/metrics')).json<{ metrics: { id: string; breakdowns: string[] }[] }>()
      const range = 'from=2025-01-01&to=2026-09-30'
      const urls = ['/api/v1/meta', '/api/v1/targets']
      for (const { id, breakdowns } of registry.metrics) {
        urls.push(`/api/v1/metrics/${id}/series?${range}&interval=month`)
        // The service register has no regions: coverage refuses a region filter (with a 400 on both engines).
        if (breakdowns.includes('region')) urls.push(`/api/v1/metrics/${id}/series?${range}&interval=quarter&region=75`)
        urls.push(`/api/v1/metrics/${id}/compare?from=2026-07-01&to=2026-09-30`)
        for (const by of breakdowns) urls.push(`/api/v1/metrics/${id}/breakdown?${range}&by=${by}`)
      }
      urls.push(`/api/v1/metrics/volume/series?${range}&interval=month&by=channel`)
      urls.push(`/api/v1/metrics/online_share_self/breakdown?${range}&by=age_band,gender`)
      expect(registry.metrics.length).toBeGreaterThanOrEqual(10)
      let answered = 0
      for (const url of urls) {
        const [one, other] = [await ask(0, url), await ask(1, url)]
        expect(other.statusCode, `${url}: ${other.body.slice(0, 300)}`).toBe(one.statusCode)
        if (one.statusCode === 200) answered++
        expectSame(other.json(), one.json(), url)
      }
      // Every query asked was a real answer, not two equal errors.
      expect(answered).toBe(urls.length)
    } finally {
      for (const app of apps) await app.close()
    }
  })
})
