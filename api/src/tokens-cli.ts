// `npm run token`: create, list and revoke API tokens. The secret is printed once and never stored.
// With the embedded engine and a server running on the data directory, the CLI asks that server (admin channel).
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, migrate, openStore, type Store } from '@qyzmet/sql'
import { type AdminChannel, adminHeader, readAdminChannel } from './admin.ts'
import { createToken, listTokens, revokeToken, type TokenRole } from './tokens.ts'

const usage = `Usage:
  npm run token -- create --role analyst|regional|ingest --name NAME [--regions 75,71]
  npm run token -- list
  npm run token -- revoke ID

Works on the store of QYZMET_DATA_DIR or CLICKHOUSE_URL. With the embedded engine and Qyzmet running on that
directory, the running server does the work (it owns the directory); new tokens work at once, revoked ones stop
working within 30 seconds.`

interface Listed {
  id: string
  name: string
  role: string
  regions: string[]
  revoked: boolean | number
}

/** What the CLI can do, against the store itself or through a running server's admin channel. */
interface Tokens {
  where: string
  create(input: { name: string; role: TokenRole; regions: string[] }): Promise<{ id: string; token: string }>
  list(): Promise<Listed[]>
  revoke(id: string): Promise<boolean>
  close(): Promise<void>
}

function throughServer(channel: AdminChannel): Tokens {
  const call = async (method: string, path: string, body?: object) => {
    const response = await fetch(`${channel.url}/admin/v1${path}`, {
      method,
      headers: { [adminHeader]: channel.secret, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    })
    const answer = response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>)
    if (!response.ok && response.status !== 404) {
      throw new Error(`the server refused: ${String(answer.message ?? response.statusText)}`)
    }
    return { found: response.status !== 404, answer }
  }
  return {
    where: `the running server at ${channel.url}`,
    create: async (input) => (await call('POST', '/tokens', input)).answer as { id: string; token: string },
    list: async () => ((await call('GET', '/tokens')).answer as { tokens: Listed[] }).tokens,
    revoke: async (id) => (await call('DELETE', `/tokens/${encodeURIComponent(id)}`)).found,
    close: async () => undefined,
  }
}

async function directly(): Promise<Tokens> {
  const store: Store = await openStore(loadConfig())
  await migrate(store)
  return {
    where: 'the store',
    create: async (input) => {
      const known = new Set(
        (await store.rows<{ kato: string }>('token:regions', 'SELECT kato FROM regions FINAL')).map((row) => row.kato),
      )
      const unknown = input.regions.filter((code) => !known.has(code))
      if (unknown.length)
        throw new ConfigError('--regions', `unknown region ${unknown.join(', ')}`, 'Use KATO codes from /api/v1/meta.')
      return createToken(store, input)
    },
    list: () => listTokens(store),
    revoke: (id) => revokeToken(store, id),
    close: () => store.close(),
  }
}

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
  const config = loadConfig()
  const channel = config.engine.kind === 'embedded' ? readAdminChannel(config.engine.dataDir) : null
  const tokens = channel ? throughServer(channel) : await directly()
  try {
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
      const { id: created, token } = await tokens.create({ name: values.name, role, regions })
      console.log(
        `token ${created} (${role}${regions.length ? ` for ${regions.join(', ')}` : ''}) — shown once, keep it safe:\n${token}`,
      )
    } else if (command === 'list') {
      for (const token of await tokens.list()) {
        console.log(
          `${token.id}  ${token.role.padEnd(8)}  ${token.revoked ? 'revoked' : 'active '}  ${token.regions.join(',') || '-'}  ${token.name}`,
        )
      }
    } else if (command === 'revoke' && id) {
      console.log((await tokens.revoke(id)) ? `token ${id} revoked` : `no token ${id}`)
    } else {
      console.log(usage)
      process.exitCode = 1
    }
  } finally {
    await tokens.close()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})
