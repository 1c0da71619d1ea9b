// API tokens: created by the CLI, shown once, stored as SHA-256 hashes, checked on every request.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import type { Store } from '@qyzmet/sql'
import type { Principal, Role } from './principal.ts'

export type TokenRole = Exclude<Role, 'public'>

export interface TokenRecord {
  id: string
  name: string
  role: TokenRole
  regions: string[]
  token_sha256: string
  created_at: string
  revoked: number
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** Creates a token and returns its secret form — the only time it exists outside the caller's hands. */
export async function createToken(
  store: Store,
  input: { name: string; role: TokenRole; regions?: string[] },
): Promise<{ id: string; token: string }> {
  const id = randomUUID().slice(0, 8)
  const secret = randomBytes(24).toString('base64url')
  await store.command(
    'tokens:create',
    `INSERT INTO api_tokens (id, name, role, regions, token_sha256)
     VALUES ({id:String}, {name:String}, {role:String}, {regions:Array(String)}, {hash:String})`,
    { id, name: input.name, role: input.role, regions: input.regions ?? [], hash: sha256(secret) },
  )
  return { id, token: `qz_${id}_${secret}` }
}

export async function listTokens(store: Store): Promise<Omit<TokenRecord, 'token_sha256'>[]> {
  return store.rows(
    'tokens:list',
    'SELECT id, name, toString(role) AS role, regions, created_at, revoked FROM api_tokens FINAL ORDER BY created_at',
  )
}

export async function revokeToken(store: Store, id: string): Promise<boolean> {
  const [existing] = await store.rows<TokenRecord>(
    'tokens:get',
    'SELECT * FROM api_tokens FINAL WHERE id = {id:String}',
    { id },
  )
  if (!existing) return false
  await store.command(
    'tokens:revoke',
    `INSERT INTO api_tokens (id, name, role, regions, token_sha256, created_at, revoked)
     VALUES ({id:String}, {name:String}, {role:String}, {regions:Array(String)}, {hash:String}, {created:DateTime64(3)}, 1)`,
    {
      id,
      name: existing.name,
      role: existing.role,
      regions: existing.regions,
      hash: existing.token_sha256,
      created: existing.created_at,
    },
  )
  return true
}

export interface VerifierOptions {
  /** How long the copy of the tokens table and a verified token are trusted (a revocation takes this long). */
  ttlMs?: number
  /** How long a refused token is answered from memory. */
  refusedMs?: number
  /** Least time between reloads caused by unknown token ids: a new token works this long after it is created. */
  reloadOnMissMs?: number
}

/** Most tokens remembered either way; beyond it the memory starts afresh rather than grow with an attacker's input. */
const maxRemembered = 10_000

/**
 * Checks bearer tokens against the table, caching the table briefly so a request costs no query. Unknown tokens
 * are remembered as refused and reload the table at most once per `reloadOnMissMs`, however many arrive: made-up
 * tokens cannot turn into a stream of table loads.
 */
export class TokenVerifier {
  private tokens = new Map<string, TokenRecord>()
  private loadedAt = 0
  private loading: Promise<void> | null = null
  /** Tokens already checked, so a busy client costs one map lookup, not a hash; as fresh as the table copy. */
  private verified = new Map<string, { principal: Principal; at: number }>()
  private refused = new Map<string, number>()
  private readonly ttlMs: number
  private readonly refusedMs: number
  private readonly reloadOnMissMs: number

  constructor(
    private readonly store: Store,
    options: VerifierOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000
    this.refusedMs = options.refusedMs ?? 5_000
    this.reloadOnMissMs = options.reloadOnMissMs ?? 1_000
  }

  /** One load at a time: requests that need the table while it loads wait for that load. */
  private load(): Promise<void> {
    this.loading ??= this.store
      .rows<TokenRecord>(
        'tokens:load',
        'SELECT id, name, toString(role) AS role, regions, token_sha256, created_at, revoked FROM api_tokens FINAL',
      )
      .then((rows) => {
        this.tokens = new Map(rows.map((row) => [row.id, row]))
        this.loadedAt = Date.now()
      })
      .finally(() => {
        this.loading = null
      })
    return this.loading
  }

  /** The principal of a token, or null when it is malformed, unknown or revoked. */
  /** Forgets every copy (the table, tokens verified or refused): a token created or revoked here counts at once. */
  forget(): void {
    this.tokens = new Map()
    this.loadedAt = 0
    this.verified.clear()
    this.refused.clear()
  }

  async verify(token: string): Promise<Principal | null> {
    const now = Date.now()
    const known = this.verified.get(token)
    if (known && now - known.at < this.ttlMs) return known.principal
    const refusedAt = this.refused.get(token)
    if (refusedAt !== undefined && now - refusedAt < this.refusedMs) return null
    const principal = await this.check(token)
    const memory = principal ? this.verified : this.refused
    if (memory.size >= maxRemembered) memory.clear()
    if (principal) {
      this.verified.set(token, { principal, at: Date.now() })
      this.refused.delete(token)
    } else {
      this.refused.set(token, Date.now())
    }
    return principal
  }

  /** Whether a token was verified lately: such a request costs no query, so it is let through even when limited. */
  isKnown(token: string): boolean {
    const known = this.verified.get(token)
    return known !== undefined && Date.now() - known.at < this.ttlMs
  }

  private async check(token: string): Promise<Principal | null> {
    const match = /^qz_([0-9a-f]{8})_([A-Za-z0-9_-]{32})$/.exec(token)
    if (!match?.[1] || !match[2]) return null
    const [, id, secret] = match
    const age = Date.now() - this.loadedAt
    if (age >= this.ttlMs || (!this.tokens.has(id) && age >= this.reloadOnMissMs)) await this.load()
    const record = this.tokens.get(id)
    if (!record || record.revoked) return null
    const expected = Buffer.from(record.token_sha256, 'hex')
    const actual = Buffer.from(sha256(secret), 'hex')
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null
    return {
      role: record.role,
      regions: record.role === 'regional' ? record.regions : [],
      tokenId: record.id,
      name: record.name,
    }
  }
}
