// A bad setting stops start-up with a message that names it and says what to do.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'
import { openStore } from './store.ts'

const scratch = () => mkdtempSync(join(tmpdir(), 'qyzmet-config-'))

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`)
}

describe('loadConfig', () => {
  it('defaults to the embedded engine in ./data with the Kazakhstan time zone', () => {
    const dir = scratch()
    const config = loadConfig({ QYZMET_DATA_DIR: dir })
    expect(config.engine).toEqual({ kind: 'embedded', dataDir: dir })
    expect(config).toMatchObject({ database: 'qyzmet', timezone: 'Asia/Almaty', port: 8080, cluster: null })
    expect(config.demoRows).toBe(2_000_000)
  })

  it('reads a server URL, user and database', () => {
    const config = loadConfig({
      CLICKHOUSE_URL: 'http://ch.example:8123/',
      CLICKHOUSE_USER: 'api',
      CLICKHOUSE_PASSWORD: 's3cret',
      CLICKHOUSE_DATABASE: 'stats',
      QYZMET_CLUSTER: 'qyzmet',
    })
    expect(config.engine).toEqual({ kind: 'server', url: 'http://ch.example:8123', user: 'api', password: 's3cret' })
    expect(config.database).toBe('stats')
    expect(config.cluster).toBe('qyzmet')
  })

  it.each([
    [{ CLICKHOUSE_URL: 'not a url' }, 'CLICKHOUSE_URL', /not a URL/],
    [{ CLICKHOUSE_URL: 'tcp://localhost:9000' }, 'CLICKHOUSE_URL', /not http or https/],
    [{ PORT: 'eighty' }, 'PORT', /not a whole number from 0 to 65535/],
    [{ PORT: '70000' }, 'PORT', /not a whole number/],
    [{ QYZMET_DEMO_ROWS: '-5' }, 'QYZMET_DEMO_ROWS', /not a whole number/],
    [{ CLICKHOUSE_DATABASE: 'drop table' }, 'CLICKHOUSE_DATABASE', /not a valid ClickHouse name/],
    [{ QYZMET_TIMEZONE: 'Mars/Olympus' }, 'QYZMET_TIMEZONE', /not an IANA time zone/],
    [{ QYZMET_CLUSTER: 'c1' }, 'QYZMET_CLUSTER', /needs a ClickHouse server/],
    [{ QYZMET_CORS_ORIGINS: 'https://ok.kz,not an origin' }, 'QYZMET_CORS_ORIGINS', /"not an origin" is not an origin/],
    [{ QYZMET_SUPPRESS_BELOW: 'ten' }, 'QYZMET_SUPPRESS_BELOW', /not a whole number/],
    [{ QYZMET_EMBEDDED_PARALLEL: 'false' }, 'QYZMET_EMBEDDED_PARALLEL', /"false" is neither on nor off/],
  ])('refuses %j naming %s', (env, setting, problem) => {
    const error = failure({ QYZMET_DATA_DIR: scratch(), ...env })
    expect(error.setting).toBe(setting)
    expect(error.message).toMatch(new RegExp(`^${setting}: `))
    expect(error.message).toMatch(problem)
  })

  it('refuses a data directory it cannot write to', () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere; a path under a regular file can be created by no one
      const file = join(scratch(), 'plain-file')
      writeFileSync(file, '')
      const error = failure({ QYZMET_DATA_DIR: join(file, 'data') })
      expect(error.setting).toBe('QYZMET_DATA_DIR')
      expect(error.message).toMatch(/cannot write to .*plain-file/)
      return
    }
    const dir = scratch()
    chmodSync(dir, 0o500)
    const error = failure({ QYZMET_DATA_DIR: join(dir, 'data') })
    expect(error.setting).toBe('QYZMET_DATA_DIR')
  })

  it('stops when the ClickHouse server cannot be reached, naming CLICKHOUSE_URL', async () => {
    // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
    const config = loadConfig({ CLICKHOUSE_URL: 'http://127.0.0.1:9' })
    await expect(openStore(config)).rejects.toThrow(
      /^CLICKHOUSE_URL: could not reach ClickHouse at http:\/\/127\.0\.0\.1:9/,
    )
  })
})
