// The deployment files hold together: compose, ClickHouse XML and the Dockerfile agree with each other and with Qyzmet's settings.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { loadConfig, readMigrations, settingNames } from '@qyzmet/sql'
import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = new URL('../', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, root), 'utf8')
const xml = (path: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(read(path))

interface Service {
  image?: string
  build?: string
  profiles?: string[]
  environment?: Record<string, string>
  volumes?: string[]
  healthcheck?: { test: string[] }
  depends_on?: Record<string, { condition: string; required?: boolean }>
  ports?: string[]
  deploy?: { replicas?: number | string }
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> }
const services = compose.services

/** Compose's ${NAME:-default} with the given variables, else the default. */
function substitute(value: string, variables: Record<string, string>): string {
  return String(value).replace(
    /\$\{(\w+)(?::-([^}]*))?\}/g,
    (_, name: string, fallback = '') => variables[name] ?? fallback,
  )
}
const envFile = (path: string) =>
  Object.fromEntries(
    read(path)
      .split('\n')
      .filter((line) => /^\w+=/.test(line))
      .map((line) => line.split('=', 2) as [string, string]),
  )
const qyzmetServices = Object.entries(services).filter(([, service]) => service.build)
const clickhouseServices = Object.entries(services).filter(([, service]) =>
  service.image?.startsWith('clickhouse/clickhouse-server'),
)

describe('docker-compose.yml', () => {
  it('pins ClickHouse 26.x images and gives every server a volume and a health check', () => {
    expect(clickhouseServices.length).toBe(5)
    for (const [name, service] of [...clickhouseServices, ['keeper', services.keeper as Service] as const]) {
      expect(service.image, name).toMatch(/^clickhouse\/clickhouse-(server|keeper):26\.\d+$/)
      expect(service.healthcheck?.test.length, name).toBeGreaterThan(0)
      expect(
        service.volumes?.some((volume) => /^[\w-]+:\/var\/lib\/clickhouse/.test(volume)),
        name,
      ).toBe(true)
    }
  })

  it('mounts only files that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? ''
        if (source.startsWith('./deploy')) expect(existsSync(new URL(source, root)), `${name}: ${source}`).toBe(true)
      }
    }
  })

  for (const [profile, variables] of [
    ['single', envFile('.env')],
    ['cluster', envFile('deploy/cluster.env')],
  ] as const) {
    it(`gives every Qyzmet service a valid configuration in the ${profile} profile`, () => {
      expect(variables.COMPOSE_PROFILES).toBe(profile)
      for (const [name, service] of qyzmetServices) {
        const env = Object.fromEntries(
          Object.entries(service.environment ?? {}).map(([key, value]) => [key, substitute(value, variables)]),
        )
        for (const key of Object.keys(env)) expect(settingNames, `${name}: ${key}`).toContain(key)
        const config = loadConfig(env)
        expect(config.engine.kind).toBe('server')
        const host = new URL(config.engine.kind === 'server' ? config.engine.url : '').hostname
        const engine = services[host]
        expect(engine?.profiles, `${name} talks to ${host}`).toContain(profile)
        expect(config.engine.kind === 'server' && new URL(config.engine.url).port).toBe('8123')
        expect(config.cluster).toBe(profile === 'cluster' ? 'qyzmet' : null)
        expect(config.prepare).toBe(false)
      }
    })
  }

  it('prepares the store as the admin and runs the API and ingest as users without DDL rights', () => {
    expect(services.prepare?.environment?.CLICKHOUSE_USER).toBe('qyzmet_admin')
    expect(services.api?.environment?.CLICKHOUSE_USER).toBe('qyzmet_api')
    expect(services.ingest?.environment?.CLICKHOUSE_USER).toBe('qyzmet_ingest')
    expect(services.drop?.environment?.CLICKHOUSE_USER).toBe('qyzmet_ingest')
    for (const name of ['api', 'ingest', 'drop'])
      expect(services[name]?.depends_on?.prepare?.condition).toBe('service_completed_successfully')
    // One worker per drop folder; the push workers watch none.
    expect(services.drop?.environment?.QYZMET_DROP_DIR).toBe('/drop')
    expect(services.drop?.deploy?.replicas).toBeUndefined()
    expect(services.ingest?.environment?.QYZMET_DROP_DIR).toBeUndefined()
  })

  it('runs several API replicas and ingest workers behind one load balancer on port 8080', () => {
    for (const name of ['api', 'ingest']) {
      expect(Number(substitute(String(services[name]?.deploy?.replicas), {})), name).toBeGreaterThanOrEqual(2)
      // Replicas publish no port of their own: they would clash.
      expect(services[name]?.ports, name).toBeUndefined()
    }
    expect((services.lb?.ports ?? []).map((port) => substitute(port, {}))).toEqual(['8080:8080'])
    const nginx = read('deploy/nginx/qyzmet.conf')
    expect(nginx).toMatch(/listen 8080;/)
    const upstreams = Object.fromEntries(
      [...nginx.matchAll(/upstream (\w+) \{\s*server ([\w-]+):8080;/g)].map((match) => [match[1], match[2]]),
    )
    expect(upstreams).toEqual({ qyzmet_api: 'api', qyzmet_ingest: 'ingest' })
    expect(nginx).toMatch(/location \/api\/v1\/ingest\/ \{[^}]*proxy_pass http:\/\/qyzmet_ingest;/)
    expect(nginx).toMatch(/location \/ \{[^}]*proxy_pass http:\/\/qyzmet_api;/)
  })
})

describe('ClickHouse configuration', () => {
  const users = xml('deploy/clickhouse/users.d/qyzmet.xml').clickhouse.users as Record<
    string,
    { password: { '@from_env': string }; grants: { query: string[] } }
  >
  const tables = new Set([
    // The migrations' own ledger, created by sql/src/migrate.ts.
    'schema_migrations',
    ...readMigrations().flatMap((migration) =>
      [...migration.text.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)].map((match) =>
        match[1]?.replace('{{local}}', ''),
      ),
    ),
  ])

  it('defines the three users with passwords from the environment that compose provides', () => {
    expect(Object.keys(users).sort()).toEqual(['qyzmet_admin', 'qyzmet_api', 'qyzmet_ingest'])
    for (const [, service] of clickhouseServices) {
      for (const user of Object.values(users))
        expect(Object.keys(service.environment ?? {})).toContain(user.password['@from_env'])
    }
  })

  it('grants the API and ingest only reading and inserting into tables that exist', () => {
    for (const name of ['qyzmet_api', 'qyzmet_ingest']) {
      for (const grant of users[name]?.grants.query ?? []) {
        expect(grant, name).not.toMatch(/GRANT ALL|CREATE|DROP TABLE/)
        const table = /ON qyzmet\.(\w+\*?)$/.exec(grant)?.[1]
        if (!table || table === '*') continue
        const known = (candidate: string) =>
          candidate.endsWith('*')
            ? [...tables].some((each) => each?.startsWith(candidate.slice(0, -1)))
            : tables.has(candidate) || tables.has(candidate.replace(/_local$/, ''))
        expect(known(table), `${name}: ${table}`).toBe(true)
      }
    }
  })

  it('describes two shards of two replicas, each a compose service with its own shard and replica names', () => {
    const cluster = xml('deploy/clickhouse/cluster/cluster.xml').clickhouse
    const shards = cluster.remote_servers.qyzmet.shard as { replica: { host: string; port: number }[] }[]
    expect(shards).toHaveLength(2)
    const hosts = shards.flatMap((shard) => shard.replica.map((replica) => replica.host))
    expect(hosts).toHaveLength(4)
    const macros = hosts.map((host) => `${services[host]?.environment?.SHARD}/${services[host]?.environment?.REPLICA}`)
    expect(new Set(macros).size).toBe(4)
    shards.forEach((shard, index) => {
      for (const replica of shard.replica) expect(services[replica.host]?.environment?.SHARD).toBe(String(index + 1))
    })
    expect(cluster.macros.shard['@from_env']).toBe('SHARD')
    const keeper = xml('deploy/clickhouse/keeper/keeper.xml').clickhouse.keeper_server
    expect(cluster.zookeeper.node.host).toBe('keeper')
    expect(cluster.zookeeper.node.port).toBe(keeper.tcp_port)
  })
})

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile')
  it('builds in stages and runs as a non-root user with a health check on the port it exposes', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2)
    expect(dockerfile).toMatch(/^USER node$/m)
    expect(dockerfile).toMatch(/^HEALTHCHECK /m)
    expect(dockerfile).toMatch(/^EXPOSE 8080$/m)
    expect(dockerfile).toMatch(/PORT=8080/)
    for (const workspace of ['sql', 'fixtures', 'api', 'ingest', 'web'])
      expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/`)
    expect(readdirSync(new URL('./', root)).includes('.dockerignore')).toBe(true)
  })
})
