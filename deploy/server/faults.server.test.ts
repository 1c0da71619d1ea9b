// The ClickHouse server killed (SIGKILL) and restarted on its directory: during an ingest nothing is lost or doubled,
// and under API load the API answers 503 with Retry-After while it is down and recovers by itself.
import { spawn } from 'node:child_process'
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '@qyzmet/api/app'
import { createToken } from '@qyzmet/api/tokens'
import { generateDemo } from '@qyzmet/fixtures'
import { exportDemo } from '@qyzmet/fixtures/export'
import type { Progress } from '@qyzmet/ingest/load'
import { loadConfig, loadReference, migrate, openStore } from '@qyzmet/sql'
import { startTestServer, type TestServer } from '@qyzmet/sql/testing/clickhouse-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const work = mkdtempSync(join(tmpdir(), 'qyzmet-faults-'))
const cli = new URL('../../ingest/src/cli.ts', import.meta.url).pathname
let server: TestServer
const env = () => ({ CLICKHOUSE_URL: server.url, QYZMET_QUERY_TIMEOUT: '5' })
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server.stop()
  rmSync(work, { recursive: true, force: true })
})

/** Runs the ingest CLI; `onProgress` sees each step of the load (its --progress lines) as it happens. */
function worker(
  file: string,
  onProgress?: (progress: Progress) => void,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, '--local', '--json', '--progress', '--bucket-rows', '20000', '--source', 'faults', file],
      { env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => {
      stderr += chunk
      const lines = stderr.split('\n')
      stderr = lines.pop() ?? ''
      for (const line of lines) if (line.startsWith('{')) onProgress?.(JSON.parse(line) as Progress)
    })
    child.on('exit', (code) => done({ code, stdout }))
  })
}

describe('the server killed during an ingest', () => {
  it('leaves events, rollups and freshness equal to the file once the worker runs again', async () => {
    const rows = 120_000
    const file = join(work, 'events.csv')
    const store = await openStore(loadConfig(env()))
    await migrate(store)
    await loadReference(store)
    await exportDemo(store, { rows, seed: 21, until: '2025-06-30' }, file)
    await store.close()

    // Killed at two points of the load, whatever the machine's speed (a fixed delay could find it over): while
    // staging, and while a bucket publishes half way through; restarted on the same directory each time.
    const points: ((progress: Progress) => boolean)[] = [
      (progress) => progress.phase === 'stage',
      (progress) => progress.phase === 'publish' && progress.rows >= progress.totalRows / 2,
    ]
    const outcomes: (number | null)[] = []
    for (const point of points) {
      let killing: Promise<void> | null = null
      const running = worker(file, (progress) => {
        if (!killing && point(progress)) killing = sleep(200).then(() => server.kill())
      })
      const outcome = await running
      await killing
      outcomes.push(outcome.code)
      await server.restart()
    }
    expect(
      outcomes.every((code) => code !== 0),
      JSON.stringify(outcomes),
    ).toBe(true)
    const final = await worker(file)
    expect(final.code, final.stdout).toBe(0)
    expect(JSON.parse(final.stdout).files[0].state).toMatch(/done|already_loaded/)

    const check = await openStore(loadConfig(env()))
    try {
      await check.command('test:source', 'CREATE TABLE fault_source AS events ENGINE = Memory')
      await check.insert('test:source', 'fault_source', () => createReadStream(file), {
        format: 'CSVWithNames',
        settings: { date_time_input_format: 'best_effort', input_format_skip_unknown_fields: 1 },
      })
      const columns =
        'event_id, occurred_at, service_code, channel, assisted_by, region, district, office_id, status, processing_seconds, age_band, gender, applicant_key, satisfaction'
      const [diff] = await check.rows<Record<string, string>>(
        'test:diff',
        `SELECT (SELECT count() FROM (SELECT ${columns} FROM fault_source EXCEPT SELECT ${columns} FROM events)) AS missing,
                (SELECT count() FROM (SELECT ${columns} FROM events EXCEPT SELECT ${columns} FROM fault_source)) AS extra,
                (SELECT count() FROM events) AS events, (SELECT uniqExact(event_id) FROM events) AS ids,
                (SELECT sum(transactions) FROM rollup_daily) AS daily, (SELECT sum(transactions) FROM rollup_monthly) AS monthly,
                (SELECT sum(events) FROM rollup_ingest_freshness) AS freshness, (SELECT count() FROM ingest_stage) AS staged`,
      )
      expect(Object.values(diff ?? {}).map(Number)).toEqual([0, 0, rows, rows, rows, rows, rows, 0])
    } finally {
      await check.close()
    }
  })
})

describe('the server killed under API load', () => {
  it('answers 503 with Retry-After while it is down, never 500 nor a hang, and recovers without a restart', async () => {
    const store = await openStore(loadConfig({ ...env(), CLICKHOUSE_DATABASE: 'api_faults' }))
    await migrate(store)
    await loadReference(store)
    await generateDemo(store, { rows: 30_000, seed: 3, until: '2025-12-31' })
    const { token } = await createToken(store, { name: 'load', role: 'analyst' })
    const app = await buildApp(store, { dashboard: false, anonymousRateLimit: 100_000 })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    type Answer = { phase: string; status: number; retryAfter: string | null; ms: number }
    const answers: Answer[] = []
    let phase = 'up'
    let stop = false
    let asked = 0
    // Eight clients asking breakdowns over ranges that differ, so that the API's cache cannot answer for the engine.
    const client = async () => {
      while (!stop) {
        const day = String((asked++ % 28) + 1).padStart(2, '0')
        const started = performance.now()
        const response = await fetch(
          `${base}/api/v1/metrics/volume/breakdown?by=region&from=2025-01-${day}&to=2025-06-30`,
          {
            headers: { authorization: `Bearer ${token}` },
          },
        )
        await response.arrayBuffer()
        answers.push({
          phase,
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          ms: performance.now() - started,
        })
      }
    }
    const clients = Array.from({ length: 8 }, client)
    try {
      await sleep(1_500)
      phase = 'down'
      await server.kill()
      await sleep(3_000)
      const ready = await fetch(`${base}/readyz`)
      expect(ready.status).toBe(503)
      expect(ready.headers.get('retry-after')).toMatch(/^\d+$/)
      phase = 'restarting'
      await server.restart()
      await sleep(3_000)
      phase = 'recovered'
      await sleep(1_500)
      stop = true
      await Promise.all(clients)
      expect((await fetch(`${base}/readyz`)).status).toBe(200)
    } finally {
      stop = true
      await app.close()
      await store.close()
    }
    const of = (name: string) => answers.filter((answer) => answer.phase === name)
    expect(of('up').length).toBeGreaterThan(0)
    expect(of('up').every((answer) => answer.status === 200)).toBe(true)
    const down = of('down')
    expect(down.length).toBeGreaterThan(0)
    for (const answer of down) {
      expect([200, 503], JSON.stringify(answer)).toContain(answer.status)
      if (answer.status === 503) expect(answer.retryAfter).toMatch(/^\d+$/)
    }
    expect(down.some((answer) => answer.status === 503)).toBe(true)
    expect(of('recovered').length).toBeGreaterThan(0)
    expect(of('recovered').every((answer) => answer.status === 200)).toBe(true)
    // No answer waited past the read deadline (5 s) and its grace.
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(7_000)
    expect(answers.some((answer) => answer.status >= 500 && answer.status !== 503)).toBe(false)
  })
})
