// The operator's channel to a running server: a secret only this machine's user can read, and the server's address.
// With the embedded engine one process owns the data, so `npm run token` asks the running server instead of opening it.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface AdminChannel {
  /** Where the server listens, as the CLI should call it. */
  url: string
  secret: string
  pid: number
}

export const adminHeader = 'x-qyzmet-admin'

/** The channel file of a data directory (or of QYZMET_ADMIN_DIR with a server engine). */
export const adminFile = (dir: string) => join(dir, 'admin.json')

/** Writes a fresh channel file readable by this user only; the server removes it when it stops. */
export function openAdminChannel(dir: string, url: string): AdminChannel & { close(): void } {
  const channel: AdminChannel = { url, secret: randomBytes(32).toString('base64url'), pid: process.pid }
  const path = adminFile(dir)
  rmSync(path, { force: true })
  writeFileSync(path, JSON.stringify(channel), { mode: 0o600 })
  chmodSync(path, 0o600)
  return {
    ...channel,
    close: () => {
      try {
        const current = JSON.parse(readFileSync(path, 'utf8')) as AdminChannel
        if (current.secret === channel.secret) rmSync(path, { force: true })
      } catch {
        // Already gone.
      }
    },
  }
}

/** The channel of a running server, or null when none is written (or its process is gone). */
export function readAdminChannel(dir: string): AdminChannel | null {
  try {
    const channel = JSON.parse(readFileSync(adminFile(dir), 'utf8')) as AdminChannel
    process.kill(channel.pid, 0)
    return channel
  } catch {
    return null
  }
}

/** Compares a presented secret with the channel's in constant time. */
export function secretMatches(expected: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string') return false
  const a = Buffer.from(expected)
  const b = Buffer.from(presented)
  return a.length === b.length && timingSafeEqual(a, b)
}
