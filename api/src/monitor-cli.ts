// The monitor worker (`npm run monitor`, the docker-compose `monitor` service): evaluates feeds, anomalies and alert
// rules every QYZMET_MONITOR_INTERVAL seconds and sends notifications, so that API servers need not (QYZMET_MONITOR=off).
import { ConfigError, loadConfig, openStore } from '@qyzmet/sql'
import closeWithGrace from 'close-with-grace'
import { loadMonitorConfig } from './monitoring/config.ts'
import { startMonitor } from './monitoring/schedule.ts'

const say = (line: string) => process.stdout.write(`${line}\n`)

async function main(): Promise<void> {
  const config = loadConfig()
  const monitor = { ...loadMonitorConfig(), mode: 'server' as const }
  const store = await openStore(config)
  say(
    `monitor: every ${monitor.intervalSeconds} s; email ${monitor.smtpUrl ? `through ${new URL(monitor.smtpUrl).host}` : 'off (QYZMET_SMTP_URL not set)'}`,
  )
  const running = startMonitor(store, { config: monitor, say })
  closeWithGrace({ delay: 30_000 }, async ({ signal, err }) => {
    if (err) process.stderr.write(`${err.stack ?? err}\n`)
    else say(`${signal}: stopping after the round in progress`)
    await running.stop()
    await store.close()
  })
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`The monitor cannot start. ${error.message}\n`)
  else
    process.stderr.write(
      `The monitor stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
  process.exit(1)
})
