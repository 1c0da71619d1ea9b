// `npm run token`: create, list and revoke API tokens. The secret is printed once and never stored.
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, migrate, openStore } from '@qyzmet/sql'
import { createToken, listTokens, revokeToken, type TokenRole } from './tokens.ts'

const usage = `Usage:
  npm run token -- create --role analyst|regional|ingest --name NAME [--regions 75,71]
  npm run token -- list
  npm run token -- revoke ID

Works on the store of QYZMET_DATA_DIR or CLICKHOUSE_URL. With the embedded engine, stop the server first
(one process owns the data directory); a running server picks new tokens up within 30 seconds.`

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      regions: { type: 'string' },
      help: { type: 'boolean' },
    },
  })
  const [command, id] = positionals
  if (values.help || !command) return void console.log(usage)
  const store = await openStore(loadConfig())
  try {
    await migrate(store)
    if (command === 'create') {
      const role = values.role as TokenRole
      if (!['analyst', 'regional', 'ingest'].includes(role))
        throw new ConfigError('--role', `"${values.role ?? ''}" is not a role`, 'Use analyst, regional or ingest.')
      if (!values.name)
        throw new ConfigError(
          '--name',
          'missing',
          'Name the token after its holder, e.g. --name "Almaty akimat analyst".',
        )
      const regions = (values.regions ?? '')
        .split(',')
        .map((code) => code.trim())
        .filter(Boolean)
      if (role === 'regional' && regions.length === 0)
        throw new ConfigError('--regions', 'a regional token needs its regions', 'Give KATO codes, e.g. --regions 75.')
      const known = new Set(
        (await store.rows<{ kato: string }>('token:regions', 'SELECT kato FROM regions FINAL')).map((row) => row.kato),
      )
      const unknown = regions.filter((code) => !known.has(code))
      if (unknown.length)
        throw new ConfigError('--regions', `unknown region ${unknown.join(', ')}`, 'Use KATO codes from /api/v1/meta.')
      const { id: created, token } = await createToken(store, { name: values.name, role, regions })
      console.log(
        `token ${created} (${role}${regions.length ? ` for ${regions.join(', ')}` : ''}) — shown once, keep it safe:\n${token}`,
      )
    } else if (command === 'list') {
      for (const token of await listTokens(store)) {
        console.log(
          `${token.id}  ${token.role.padEnd(8)}  ${token.revoked ? 'revoked' : 'active '}  ${token.regions.join(',') || '-'}  ${token.name}`,
        )
      }
    } else if (command === 'revoke' && id) {
      console.log((await revokeToken(store, id)) ? `token ${id} revoked` : `no token ${id}`)
    } else {
      console.log(usage)
      process.exitCode = 1
    }
  } finally {
    await store.close()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})
