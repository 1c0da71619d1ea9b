// `npm start`: validates the configuration, prepares the store and serves the API on one port.
import { startDropFolder } from '@qyzmet/ingest/drop'
import { ConfigError, ensureWritableDir, loadConfig, openStore } from '@qyzmet/sql'
import closeWithGrace from 'close-with-grace'
import { type AdminChannel, openAdminChannel } from './admin.ts'
import { buildApp } from './app.ts'
import { loadMonitorConfig } from './monitoring/config.ts'
import { type Monitor, startMonitor } from './monitoring/schedule.ts'
import { type Prepared, prepareStore } from './startup.ts'

const say = (line: string) => process.stdout.write(`${line}\n`)

async function main(): Promise<void> {
  const config = loadConfig()
  const monitorConfig = loadMonitorConfig()
  const where = config.engine.kind === 'embedded' ? `embedded engine in ${config.engine.dataDir}` : config.engine.url
  say(`Qyzmet: ClickHouse ${where}, database ${config.database}${config.cluster ? `, cluster ${config.cluster}` : ''}`)
  const store = await openStore(config)
  let prepared: Prepared = { signInToken: null }
  if (config.prepare) prepared = await prepareStore(store, say)
  else say('store: prepared by a separate step (QYZMET_PREPARE=0)')

  if (config.dropDir) ensureWritableDir('QYZMET_DROP_DIR', config.dropDir)
  const drop = config.dropDir
    ? startDropFolder(store, config.dropDir, { onResult: (summary) => say(`drop: ${summary.file} ${summary.state}`) })
    : null
  if (config.dropDir) say(`drop folder: watching ${config.dropDir} (finished files go to done/ or failed/)`)

  let channel: (AdminChannel & { close(): void }) | null = null
  const app = await buildApp(store, {
    logger: process.env.QYZMET_LOG === '1',
    corsOrigins: config.corsOrigins,
    anonymousRateLimit: config.anonymousRateLimit,
    suppressBelow: config.suppressBelow,
    adminSecret: () => channel?.secret ?? null,
    trustedProxies: config.trustedProxies,
    metricsToken: config.metricsToken,
    auth: { failureLimit: config.authFailureLimit },
    overload: { maxActive: config.maxActiveReads, maxQueued: config.maxQueuedReads },
    monitor: monitorConfig,
  })
  let monitor: Monitor | null = null
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) process.stderr.write(`${err.stack ?? err}\n`)
    else say(`${signal}: closing`)
    channel?.close()
    await monitor?.stop()
    await drop?.close()
    await app.close()
    await store.close()
  })
  const address = await app.listen({ host: config.host, port: config.port })
  const shown = address.replace('127.0.0.1', 'localhost')
  say(`ready: ${shown}  (API ${shown}/api/v1/meta, documentation ${shown}/docs, health ${shown}/healthz)`)
  // The embedded engine admits one process: `npm run token` reaches the store through this server instead.
  if (config.engine.kind === 'embedded') {
    const local = address.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//127.0.0.1')
    channel = openAdminChannel(config.engine.dataDir, local)
  }
  // Alert rules evaluated here unless a monitor worker does it (QYZMET_MONITOR=off); a lease keeps it to one process.
  if (monitorConfig.mode === 'server') {
    monitor = startMonitor(store, { config: monitorConfig, say })
    say(`monitor: evaluating every ${monitorConfig.intervalSeconds} s in this server (QYZMET_MONITOR=off to stop)`)
  }
  if (prepared.signInToken) {
    say(`sign in as an analyst (shown once): ${shown}/#token=${prepared.signInToken}`)
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`Qyzmet cannot start. ${error.message}\n`)
  } else {
    process.stderr.write(`Qyzmet stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  }
  process.exit(1)
})
