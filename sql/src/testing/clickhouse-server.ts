// A real ClickHouse HTTP server for tests, run from chDB's own library (ClickHouse 26.7) on free local ports.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const repository = join(here, '../../..')
const launcherSource = join(here, 'chdb-server.c')
export const deployUsersFile = join(repository, 'deploy/clickhouse/users.d/qyzmet.xml')

/** chDB's library: clickhouse-local and the server's HTTP and TCP handlers, nothing downloaded. */
function libchdb(): string {
  const require = createRequire(import.meta.url)
  const library = join(dirname(require.resolve('@chdb/lib-linux-x64-gnu/package.json')), 'libchdb.so')
  if (!existsSync(library)) throw new Error(`the test server needs ${library} (npm ci installs it on Linux x64)`)
  return library
}

/** The launcher, compiled once per source version with the machine's C compiler into node_modules/.cache. */
function launcher(): string {
  const source = readFileSync(launcherSource)
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12)
  const binary = join(repository, 'node_modules/.cache/qyzmet', `chdb-server-${hash}`)
  if (existsSync(binary)) return binary
  mkdirSync(dirname(binary), { recursive: true })
  const building = `${binary}.${process.pid}`
  try {
    execFileSync('cc', ['-O2', '-o', building, launcherSource, '-ldl'], { stdio: 'pipe' })
  } catch (error) {
    throw new Error(`the test server's launcher did not compile with cc (install a C compiler): ${error}`)
  }
  // Renamed into place, so that test processes building it at the same time never run a half-written file.
  renameSync(building, binary)
  return binary
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.unref()
    server.on('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))))
    })
  })
}

export interface Passwords {
  admin: string
  api: string
  ingest: string
}

export interface ServerOptions {
  /** Also the deployment's users (qyzmet_admin, qyzmet_api, qyzmet_ingest) with these passwords. */
  passwords?: Passwords
  /** XML to put inside the server's <clickhouse> configuration, e.g. a cluster's remote_servers. */
  config?: string
  ports?: { http: number; tcp: number }
}

export interface TestServer {
  readonly url: string
  readonly ports: { http: number; tcp: number }
  /** The server's data directory, kept across kill() and restart(). */
  readonly dataDir: string
  readonly pid: number
  /** Kills the server (SIGKILL unless told otherwise) and waits until it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>
  /** Starts it again on the same directory and ports. */
  restart(): Promise<void>
  /** Kills it and removes its directory. */
  stop(): Promise<void>
}

const users = `<clickhouse>
  <profiles><default/></profiles>
  <quotas><default/></quotas>
  <users>
    <default>
      <password/>
      <networks><ip>::/0</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
      <access_management>1</access_management>
    </default>
  </users>
</clickhouse>
`

/**
 * Waits until this server answers: the one whose data directory is `dataDir`, not another that had the port first
 * (whose answer would otherwise be taken for ours). Fails early if the process exits.
 */
async function ready(url: string, dataDir: string, child: ChildProcess, log: string): Promise<void> {
  const started = performance.now()
  while (performance.now() - started < 60_000) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the test server exited (${child.exitCode ?? child.signalCode}): ${readFileSync(log, 'utf8').slice(-2000)}`,
      )
    }
    const path = await fetch(url, {
      method: 'POST',
      body: "SELECT path FROM system.disks WHERE name = 'default'",
    }).then(
      (response) => (response.ok ? response.text() : ''),
      () => '',
    )
    if (path.trim().replace(/\/$/, '') === dataDir) return
    if (path !== '') throw new Error(`another server answers on ${url} (its data is in ${path.trim()})`)
    await new Promise((done) => setTimeout(done, 100))
  }
  throw new Error(`the test server did not answer within 60 s: ${readFileSync(log, 'utf8').slice(-2000)}`)
}

/** Starts a server with its own directory; the caller stops it. */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const base = mkdtempSync(join(tmpdir(), 'qyzmet-clickhouse-'))
  const dataDir = join(base, 'data')
  const configDir = join(base, 'config')
  mkdirSync(dataDir)
  mkdirSync(join(configDir, 'users.d'), { recursive: true })
  writeFileSync(join(configDir, 'users.xml'), users)
  if (options.passwords) copyFileSync(deployUsersFile, join(configDir, 'users.d/qyzmet.xml'))
  writeFileSync(
    join(configDir, 'config.xml'),
    `<clickhouse>\n  <users_config>users.xml</users_config>\n${options.config ?? ''}\n</clickhouse>\n`,
  )
  let ports = options.ports ?? { http: await freePort(), tcp: await freePort() }
  let url = `http://127.0.0.1:${ports.http}`
  const log = join(base, 'server.log')
  const env = {
    ...process.env,
    QYZMET_ADMIN_PASSWORD: options.passwords?.admin ?? '',
    QYZMET_API_PASSWORD: options.passwords?.api ?? '',
    QYZMET_INGEST_PASSWORD: options.passwords?.ingest ?? '',
  }
  const binary = launcher()
  const library = libchdb()
  let child: ChildProcess

  const launch = async () => {
    const output = openSync(log, 'a')
    child = spawn(
      binary,
      [
        library,
        `--config-file=${join(configDir, 'config.xml')}`,
        `--path=${dataDir}`,
        `--http_port=${ports.http}`,
        `--tcp_port=${ports.tcp}`,
        '--listen_host=127.0.0.1',
        '--function_sleep_max_microseconds_per_block=0',
        '--max_execution_time=0',
        // Local mode serves HTTP and TCP while its own query runs: this one starts the listeners, then sleeps.
        '--query',
        'SYSTEM START LISTEN HTTP; SYSTEM START LISTEN TCP; SELECT sleepEachRow(1) FROM numbers(1000000000) FORMAT Null',
      ],
      { cwd: configDir, env, stdio: ['ignore', output, output] },
    )
    await ready(url, dataDir, child, log)
  }

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((done) => child.once('exit', done))
    child.kill(signal)
    await exited
  }

  // A port found free may be taken before the server binds it: then try others, unless the caller chose them.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch()
      break
    } catch (error) {
      await kill()
      if (options.ports || attempt >= 3) throw error
      ports = { http: await freePort(), tcp: await freePort() }
      url = `http://127.0.0.1:${ports.http}`
    }
  }
  return {
    url,
    ports,
    dataDir,
    get pid() {
      return child.pid ?? -1
    },
    kill,
    restart: async () => {
      await kill()
      await launch()
    },
    stop: async () => {
      await kill()
      rmSync(base, { recursive: true, force: true })
    },
  }
}

export interface TestCluster {
  /** The cluster's name in remote_servers. */
  name: string
  /** One node per shard; each is also an endpoint for CLICKHOUSE_URL. */
  nodes: TestServer[]
  stop(): Promise<void>
}

/**
 * Two servers, one shard each, that know each other as a cluster: Distributed tables over MergeTree shards work;
 * ON CLUSTER DDL, replication and Keeper do not (local mode refuses them).
 */
export async function startTestCluster(name = 'qyzmet_test', shards = 2): Promise<TestCluster> {
  const ports = await Promise.all(
    Array.from({ length: shards }, async () => ({ http: await freePort(), tcp: await freePort() })),
  )
  const remote = `  <remote_servers>
    <${name}>
${ports.map((port) => `      <shard><replica><host>127.0.0.1</host><port>${port.tcp}</port></replica></shard>`).join('\n')}
    </${name}>
  </remote_servers>`
  const nodes = await Promise.all(ports.map((port) => startTestServer({ ports: port, config: remote })))
  return {
    name,
    nodes,
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()))
    },
  }
}
