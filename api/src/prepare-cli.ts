// `npm run prepare-store`: migrations, reference data and (if asked) demo data, as a step of its own — for deployments
// where the server runs as a user without DDL rights (QYZMET_PREPARE=0).
import { ConfigError, loadConfig, openStore } from '@qyzmet/sql'
import { prepareStore } from './startup.ts'

async function main(): Promise<void> {
  const store = await openStore(loadConfig())
  try {
    await prepareStore(store, (line) => console.log(line))
  } finally {
    await store.close()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `Cannot prepare the store. ${error.message}` : error)
  process.exit(1)
})
