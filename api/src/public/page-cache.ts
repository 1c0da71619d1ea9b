// Rendered portal pages and images, kept until the next publication: they are a function of the published values
// alone, so one cheap query (how many versions, the latest publication) says whether a kept copy still holds.
import type { Store } from '@qyzmet/sql'

interface Kept {
  stamp: string
  body: string | Buffer
}

/** Most bytes kept; the least recently used go first. */
const maxBytes = 32 * 2 ** 20

export class PageCache {
  private kept = new Map<string, Kept>()
  private bytes = 0

  constructor(private readonly store: Store) {}

  /** What identifies the published state: it changes with every publication. */
  async stamp(): Promise<string> {
    const [row] = await this.store.rows<{ stamp: string }>(
      'portal:stamp',
      `SELECT concat(toString(count()), '/', toString(max(published_at))) AS stamp FROM indicator_versions`,
    )
    return row?.stamp ?? ''
  }

  /** The kept copy for `key` if nothing was published since, else a new one from `make`. */
  async get<Body extends string | Buffer>(key: string, make: () => Promise<Body>): Promise<Body> {
    const stamp = await this.stamp()
    const found = this.kept.get(key)
    if (found && found.stamp === stamp) {
      this.kept.delete(key)
      this.kept.set(key, found)
      return found.body as Body
    }
    const body = await make()
    this.forget(key)
    this.kept.set(key, { stamp, body })
    this.bytes += body.length
    while (this.bytes > maxBytes) {
      const oldest = this.kept.keys().next().value
      if (oldest === undefined) break
      this.forget(oldest)
    }
    return body
  }

  private forget(key: string): void {
    const found = this.kept.get(key)
    if (!found) return
    this.bytes -= found.body.length
    this.kept.delete(key)
  }
}
