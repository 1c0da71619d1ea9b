// `npm start` end to end: a fresh directory gets schema, reference and demo data; a second start reuses them.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const dataDir = mkdtempSync(join(tmpdir(), 'qyzmet-start-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

interface Started {
  child: ChildProcess
  output: () => string
  url: string
}

function start(env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    env: { ...process.env, QYZMET_DATA_DIR: dataDir, QYZMET_DEMO_ROWS: '20000', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "ready" line in 120 s:\n${output}`)), 120_000)
    const check = () => {
      const ready = output.match(/ready: (http:\/\/\S+)/)
      if (ready?.[1]) {
        clearTimeout(timer)
        resolve({ child, output: () => output, url: ready[1] })
      }
    }
    child.stdout?.on('data', check)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(Object.assign(new Error(`exited with ${code}:\n${output}`), { output, code }))
    })
  })
}

async function stop(started: Started): Promise<void> {
  const exited = new Promise((done) => started.child.on('exit', done))
  started.child.kill('SIGTERM')
  await exited
}

describe('npm start', () => {
  it('creates the store, generates demo data, serves, and reuses the data on the next start', async () => {
    const first = await start()
    expect(first.output()).toMatch(/schema: applied 0001_reference\.sql/)
    expect(first.output()).toMatch(/reference data: loaded regions 20, region_populations \d+, channels 9/)
    expect(first.output()).toMatch(/events: generated 20,000 from 2019-01-01/)
    // The fixture's three, and GOV.UK's four measures of each of the five most-used services for their pages.
    expect(first.output()).toMatch(/indicators: published 23 demo indicators/)
    const indicators = (await (await fetch(`${first.url}/api/v1/indicators`)).json()) as { indicators: unknown[] }
    expect(indicators.indicators).toHaveLength(23)
    // The public portal's home at /, with the published regional breakdown; the app at its own paths.
    const home = await (await fetch(`${first.url}/?lang=en`)).text()
    expect(home).toContain('Public services in figures')
    expect(home).toMatch(/data-chart="online-share\/region"/)
    expect(home).toMatch(/href="\/services\/[^"?]+\?lang=en"/)
    const meta = (await (await fetch(`${first.url}/api/v1/meta`)).json()) as { events: number; firstDay: string }
    expect(meta).toMatchObject({ events: 20_000, firstDay: '2019-01-01' })
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200)

    // The fresh store's sign-in link carries an analyst token; `npm run token` works while the server runs.
    const signIn = first.output().match(/sign in as an analyst \(shown once\): \S+\/#token=(qz_\S+)/)?.[1]
    expect(signIn).toBeDefined()
    const series = (token: string) =>
      fetch(`${first.url}/api/v1/metrics/volume/series?period=last_12m`, {
        headers: { authorization: `Bearer ${token}` },
      })
    expect((await series(signIn ?? '')).status).toBe(200)
    const created = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'api/src/tokens-cli.ts', 'create', '--role', 'regional', '--regions', '75', '--name', 'cli'],
      { env: { ...process.env, QYZMET_DATA_DIR: dataDir }, encoding: 'utf8' },
    )
    expect(created.status, created.stderr).toBe(0)
    const token = created.stdout.match(/(qz_\S+)/)?.[1] ?? ''
    const answer = await series(token)
    expect(answer.status).toBe(200)
    const whoami = await fetch(`${first.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${token}` } })
    expect(await whoami.json()).toEqual({ role: 'regional', regions: ['75'], name: 'cli' })
    // Without the channel's secret, the admin routes refuse.
    const forged = await fetch(`${first.url}/admin/v1/tokens`, { headers: { 'x-qyzmet-admin': 'guess' } })
    expect(forged.status).toBe(403)

    // While the first server owns the directory, a second one stops with a message naming the setting.
    const second = await start().catch((error: { output?: string; code?: number }) => error)
    expect(second).toMatchObject({ code: 1 })
    expect((second as { output: string }).output).toMatch(/QYZMET_DATA_DIR: .* is in use by another process/)
    await stop(first)

    const again = await start({ QYZMET_DEMO_ROWS: '50000' })
    expect(again.output()).toMatch(/schema: up to date \(\d+ migrations\)/)
    expect(again.output()).toMatch(/reference data: present/)
    expect(again.output()).toMatch(/events: 20,000 already stored, reusing them/)
    await stop(again)
  })

  it('refuses a bad setting before touching anything, naming it', async () => {
    const failed = await start({ PORT: 'eighty' }).catch((error: { output?: string; code?: number }) => error)
    expect(failed).toMatchObject({ code: 1 })
    expect((failed as { output: string }).output).toMatch(/Qyzmet cannot start\. PORT: "eighty" is not a whole number/)
  })
})
