// `npm start` with CLICKHOUSE_URL: a fresh database gets schema, reference and demo data (whose generator's
// parameters are too long for a URL), serves, says nothing about progress headers, and reuses the data next time.
import { type ChildProcess, spawn } from 'node:child_process'
import { testStoreEnv } from '@qyzmet/sql/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let target: Awaited<ReturnType<typeof testStoreEnv>>
beforeAll(async () => {
  target = await testStoreEnv()
})
afterAll(() => target.dispose())

interface Started {
  child: ChildProcess
  output: () => string
  url: string
}

function start(): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    env: { ...process.env, ...target.env, QYZMET_DEMO_ROWS: '30000', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "ready" line in 120 s:\n${output}`)), 120_000)
    child.stdout?.on('data', () => {
      const ready = output.match(/ready: (http:\/\/\S+)/)
      if (ready?.[1]) {
        clearTimeout(timer)
        resolve({ child, output: () => output, url: ready[1] })
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code}:\n${output}`))
    })
  })
}

async function stop(started: Started): Promise<void> {
  const exited = new Promise((done) => started.child.on('exit', done))
  started.child.kill('SIGTERM')
  await exited
}

describe('npm start on a ClickHouse server', () => {
  it('prepares a fresh database with demo data, serves it, and reuses it on the next start', async () => {
    const first = await start()
    expect(first.output()).toContain(`Qyzmet: ClickHouse ${target.env.CLICKHOUSE_URL}`)
    expect(first.output()).toMatch(/events: generated 30,000 from 2019-01-01/)
    expect(first.output()).toMatch(/indicators: published 23 demo indicators/)
    expect(first.output()).not.toMatch(/send_progress_in_http_headers|WARN/)
    const meta = (await (await fetch(`${first.url}/api/v1/meta`)).json()) as { events: number }
    expect(meta.events).toBe(30_000)
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200)
    await stop(first)

    const again = await start()
    expect(again.output()).toMatch(/events: 30,000 already stored, reusing them/)
    await stop(again)
  })
})
