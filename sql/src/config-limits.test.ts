// The settings that protect the server: trusted proxies, failed-authentication and read limits, the metrics token.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'

const base = () => ({ QYZMET_DATA_DIR: mkdtempSync(join(tmpdir(), 'qyzmet-config-')) })

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...base(), ...env })
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`)
}

describe('protection settings', () => {
  it('default to no trusted proxy, 20 failed authentications a minute, 8 reads running, 32 waiting, no /metrics', () => {
    expect(loadConfig(base())).toMatchObject({
      trustedProxies: [],
      authFailureLimit: 20,
      maxActiveReads: 8,
      maxQueuedReads: 32,
      metricsToken: null,
    })
  })

  it('read addresses, CIDR ranges and named ranges of trusted proxies', () => {
    const config = loadConfig({ ...base(), QYZMET_TRUSTED_PROXIES: ' 10.0.0.0/8, 127.0.0.1 ,fd00::/8,loopback,::1' })
    expect(config.trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8', 'loopback', '::1'])
  })

  it.each([
    ['QYZMET_TRUSTED_PROXIES', '10.0.0.0/33', /"10\.0\.0\.0\/33" is not an address/],
    ['QYZMET_TRUSTED_PROXIES', 'proxy.example', /"proxy\.example" is not an address/],
    ['QYZMET_TRUSTED_PROXIES', '10.0.0.1/8/8', /is not an address/],
    ['QYZMET_TRUSTED_PROXIES', '::1/129', /is not an address/],
    ['QYZMET_METRICS_TOKEN', 'short', /24 to 256 printable characters/],
    ['QYZMET_METRICS_TOKEN', 'a token with spaces that is long enough', /without spaces/],
    ['QYZMET_AUTH_FAILURE_LIMIT', '0', /from 1 to/],
    ['QYZMET_MAX_ACTIVE_READS', 'many', /whole number/],
    ['QYZMET_MAX_QUEUED_READS', '-1', /from 0 to/],
  ])('refuses %s=%s, naming it', (setting, value, message) => {
    const error = refusal({ [setting]: value })
    expect(error.setting).toBe(setting)
    expect(error.message).toMatch(new RegExp(`^${setting}: `))
    expect(error.message).toMatch(message)
  })

  it('takes a metrics token and limits as given', () => {
    const token = 'S3cr3t-token-for-prometheus-0123456789'
    const config = loadConfig({
      ...base(),
      QYZMET_METRICS_TOKEN: token,
      QYZMET_AUTH_FAILURE_LIMIT: '5',
      QYZMET_MAX_ACTIVE_READS: '16',
      QYZMET_MAX_QUEUED_READS: '0',
    })
    expect(config).toMatchObject({ metricsToken: token, authFailureLimit: 5, maxActiveReads: 16, maxQueuedReads: 0 })
  })
})
