// Qyzmet's settings, read once from the environment and validated before anything starts.
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { resolve } from 'node:path'

export type ClusterDdl = 'on-cluster' | 'per-node'

export type EngineConfig =
  | { kind: 'embedded'; dataDir: string }
  | { kind: 'server'; url: string; user: string; password: string }

export interface Config {
  engine: EngineConfig
  database: string
  /** ClickHouse cluster name; set only with a server that runs a cluster (DDL gets its cluster variant). */
  cluster: string | null
  /**
   * How a cluster's schema is made: 'on-cluster' (DDL ON CLUSTER, Replicated tables, Keeper) or 'per-node' (each
   * node migrated on its own, MergeTree shards without replication, for clusters that refuse distributed DDL).
   */
  clusterDdl: ClusterDdl
  /** IANA zone in which calendar dates are taken. */
  timezone: string
  host: string
  port: number
  demoRows: number
  demoSeed: number
  /** Origins allowed to call the API from browsers elsewhere; empty: same origin only. */
  corsOrigins: string[]
  /** Requests per minute an anonymous client may make. */
  anonymousRateLimit: number
  /** Public figures resting on fewer transactions than this are suppressed. */
  suppressBelow: number
  /** Whether the server prepares the store at start (migrations, reference and demo data); off when a separate step does. */
  prepare: boolean
  /** A folder whose files the server's ingest worker loads (null: no drop folder). */
  dropDir: string | null
  /** Seconds a read may run (API queries, streamed CSV/Arrow/Parquet included) before the engine stops it. */
  queryTimeout: number
  /** Seconds a write may run (DDL, inserts, INSERT … SELECT, a file's staging) before it is given up. */
  writeTimeout: number
  /** Most rows a JSON answer may have; CSV, Arrow and Parquet stream without a limit. */
  maxJsonRows: number
  /** Reverse proxies (addresses, CIDRs) whose X-Forwarded-For names the real client; empty: trust none. */
  trustedProxies: string[]
  /** Failed authentications per minute an address may make before it gets 429. */
  authFailureLimit: number
  /** The operator's bearer token for Prometheus /metrics; null: /metrics is off. */
  metricsToken: string | null
  /** Engine-bound reads running at once; more wait in a short queue. */
  maxActiveReads: number
  /** Reads waiting for a turn; beyond this they get 503 with Retry-After at once. */
  maxQueuedReads: number
}

/** Every environment variable Qyzmet reads, for the operations guide and the deployment checks. */
export const settingNames = [
  'QYZMET_DATA_DIR',
  'CLICKHOUSE_URL',
  'CLICKHOUSE_USER',
  'CLICKHOUSE_PASSWORD',
  'CLICKHOUSE_DATABASE',
  'QYZMET_CLUSTER',
  'QYZMET_CLUSTER_DDL',
  'QYZMET_TIMEZONE',
  'HOST',
  'PORT',
  'QYZMET_DEMO_ROWS',
  'QYZMET_DEMO_SEED',
  'QYZMET_CORS_ORIGINS',
  'QYZMET_RATE_LIMIT',
  'QYZMET_SUPPRESS_BELOW',
  'QYZMET_PREPARE',
  'QYZMET_DROP_DIR',
  'QYZMET_QUERY_TIMEOUT',
  'QYZMET_WRITE_TIMEOUT',
  'QYZMET_MAX_JSON_ROWS',
  'QYZMET_TRUSTED_PROXIES',
  'QYZMET_AUTH_FAILURE_LIMIT',
  'QYZMET_METRICS_TOKEN',
  'QYZMET_MAX_ACTIVE_READS',
  'QYZMET_MAX_QUEUED_READS',
  'QYZMET_LOG',
  // The monitor's (api/src/monitoring/config.ts).
  'QYZMET_MONITOR',
  'QYZMET_MONITOR_INTERVAL',
  'QYZMET_SMTP_URL',
  'QYZMET_SMTP_FROM',
  'QYZMET_PUBLIC_URL',
  // Read by the embedded engine at every statement (sql/src/embedded.ts), checked here at start.
  'QYZMET_EMBEDDED_PARALLEL',
] as const

/** A setting that stops start-up: names the variable and says what to do. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
    remedy: string,
  ) {
    super(`${setting}: ${problem}. ${remedy}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw.replaceAll('_', ''))
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      name,
      `"${raw}" is not a whole number from ${min} to ${max}`,
      `Set it to such a number, or unset it to use ${fallback}.`,
    )
  }
  return value
}

function name(env: Env, key: string, fallback: string): string {
  const value = env[key]?.trim() || fallback
  if (!identifier.test(value)) {
    throw new ConfigError(
      key,
      `"${value}" is not a valid ClickHouse name`,
      'Use letters, digits and underscores, starting with a letter.',
    )
  }
  return value
}

function timezone(env: Env): string {
  const zone = env.QYZMET_TIMEZONE?.trim() || 'Asia/Almaty'
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
  } catch {
    throw new ConfigError('QYZMET_TIMEZONE', `"${zone}" is not an IANA time zone`, 'Use a name such as Asia/Almaty.')
  }
  return zone
}

function clusterDdl(env: Env): ClusterDdl {
  const value = env.QYZMET_CLUSTER_DDL?.trim() || 'on-cluster'
  if (value !== 'on-cluster' && value !== 'per-node') {
    throw new ConfigError(
      'QYZMET_CLUSTER_DDL',
      `"${value}" is neither on-cluster nor per-node`,
      'Use on-cluster (the default: replicated tables, DDL ON CLUSTER) or per-node.',
    )
  }
  return value
}

/** Checked once at start; the embedded engine reads it at every statement, so that a benchmark can compare both. */
function checkEmbeddedParallel(env: Env): void {
  const value = env.QYZMET_EMBEDDED_PARALLEL?.trim()
  if (value && value !== 'on' && value !== 'off') {
    throw new ConfigError(
      'QYZMET_EMBEDDED_PARALLEL',
      `"${value}" is neither on nor off`,
      'Use on (the default: statements side by side) or off (one at a time, for comparison).',
    )
  }
}

function serverUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(
      'CLICKHOUSE_URL',
      `"${raw}" is not a URL`,
      'Use the HTTP address of a ClickHouse server, e.g. http://localhost:8123, or unset it to use the embedded engine.',
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(
      'CLICKHOUSE_URL',
      `"${raw}" uses ${url.protocol.replace(':', '')}, not http or https`,
      'Qyzmet talks to ClickHouse over its HTTP interface (port 8123 or 8443).',
    )
  }
  return url.toString().replace(/\/$/, '')
}

function origins(env: Env): string[] {
  const raw = env.QYZMET_CORS_ORIGINS?.trim()
  if (!raw) return []
  return raw.split(',').map((origin) => {
    const value = origin.trim()
    try {
      const url = new URL(value)
      if (url.origin !== value) throw new Error('not an origin')
    } catch {
      throw new ConfigError(
        'QYZMET_CORS_ORIGINS',
        `"${value}" is not an origin`,
        'List origins such as https://stats.example.kz, separated by commas.',
      )
    }
    return value
  })
}

/** proxy-addr's names for address ranges, accepted as Fastify's trustProxy accepts them. */
const proxyRanges = ['loopback', 'linklocal', 'uniquelocal']

function trustedProxies(env: Env): string[] {
  const raw = env.QYZMET_TRUSTED_PROXIES?.trim()
  if (!raw) return []
  return raw.split(',').map((item) => {
    const value = item.trim()
    const [address = '', bits, ...rest] = value.split('/')
    const family = isIP(address)
    const prefixOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))
    if (!proxyRanges.includes(value) && !(family && prefixOk && rest.length === 0)) {
      throw new ConfigError(
        'QYZMET_TRUSTED_PROXIES',
        `"${value}" is not an address, a CIDR range or one of ${proxyRanges.join(', ')}`,
        'List the reverse proxies in front of Qyzmet, e.g. 10.0.0.0/8,127.0.0.1, separated by commas.',
      )
    }
    return value
  })
}

function metricsToken(env: Env): string | null {
  const value = env.QYZMET_METRICS_TOKEN?.trim()
  if (!value) return null
  if (!/^[\x21-\x7e]{24,256}$/.test(value)) {
    throw new ConfigError(
      'QYZMET_METRICS_TOKEN',
      'the token must be 24 to 256 printable characters without spaces',
      'Generate one, e.g. with `openssl rand -base64 32`, and give Prometheus the same token.',
    )
  }
  return value
}

/** Creates the directory if needed and proves that this process can write into it. */
export function ensureWritableDir(setting: string, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true })
    accessSync(dir, constants.W_OK)
    const probe = resolve(dir, `.write-probe-${process.pid}`)
    writeFileSync(probe, '')
    rmSync(probe)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new ConfigError(
      setting,
      `cannot write to ${dir} (${code})`,
      'Point it at a directory this user may write to, or fix the directory permissions.',
    )
  }
}

export function loadConfig(env: Env = process.env): Config {
  checkEmbeddedParallel(env)
  const url = env.CLICKHOUSE_URL?.trim()
  let engine: EngineConfig
  if (url) {
    engine = {
      kind: 'server',
      url: serverUrl(url),
      user: env.CLICKHOUSE_USER?.trim() || 'default',
      password: env.CLICKHOUSE_PASSWORD ?? '',
    }
  } else {
    const dataDir = resolve(env.QYZMET_DATA_DIR?.trim() || './data')
    ensureWritableDir('QYZMET_DATA_DIR', dataDir)
    engine = { kind: 'embedded', dataDir }
  }
  const cluster = env.QYZMET_CLUSTER?.trim() ? name(env, 'QYZMET_CLUSTER', '') : null
  if (cluster && engine.kind === 'embedded') {
    throw new ConfigError(
      'QYZMET_CLUSTER',
      'a cluster needs a ClickHouse server, but CLICKHOUSE_URL is not set',
      'Set CLICKHOUSE_URL to a node of the cluster, or unset QYZMET_CLUSTER.',
    )
  }
  return {
    engine,
    database: name(env, 'CLICKHOUSE_DATABASE', 'qyzmet'),
    cluster,
    clusterDdl: clusterDdl(env),
    timezone: timezone(env),
    host: env.HOST?.trim() || '127.0.0.1',
    port: integer(env, 'PORT', 8080, 0, 65535),
    demoRows: integer(env, 'QYZMET_DEMO_ROWS', 2_000_000, 0, 1_000_000_000),
    demoSeed: integer(env, 'QYZMET_DEMO_SEED', 42, 0, 2 ** 31),
    corsOrigins: origins(env),
    anonymousRateLimit: integer(env, 'QYZMET_RATE_LIMIT', 300, 1, 1_000_000),
    suppressBelow: integer(env, 'QYZMET_SUPPRESS_BELOW', 10, 0, 1_000_000),
    prepare: integer(env, 'QYZMET_PREPARE', 1, 0, 1) === 1,
    dropDir: env.QYZMET_DROP_DIR?.trim() ? resolve(env.QYZMET_DROP_DIR.trim()) : null,
    queryTimeout: integer(env, 'QYZMET_QUERY_TIMEOUT', 30, 1, 3600),
    writeTimeout: integer(env, 'QYZMET_WRITE_TIMEOUT', 600, 1, 86_400),
    maxJsonRows: integer(env, 'QYZMET_MAX_JSON_ROWS', 100_000, 1, 100_000_000),
    trustedProxies: trustedProxies(env),
    authFailureLimit: integer(env, 'QYZMET_AUTH_FAILURE_LIMIT', 20, 1, 1_000_000),
    metricsToken: metricsToken(env),
    maxActiveReads: integer(env, 'QYZMET_MAX_ACTIVE_READS', 8, 1, 10_000),
    maxQueuedReads: integer(env, 'QYZMET_MAX_QUEUED_READS', 32, 0, 100_000),
  }
}
