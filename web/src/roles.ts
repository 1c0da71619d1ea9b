// Which pages a role may use: the navigation shows only these, so no page is a wall of 403s.
import type { WhoAmI } from './api.ts'
import { type Page, pages } from './view.ts'

const byRole: Record<WhoAmI['role'], readonly Page[]> = {
  analyst: pages,
  // Data quality reads the ingest ledger, which a regional token may not (api/src/routes/ingest.ts).
  regional: pages.filter((page) => page !== 'quality'),
  // An ingest token loads data and watches it arrive; metric queries refuse it.
  ingest: ['quality'],
  // The public reads the portal (/, /indicators/:id …), not the app.
  public: [],
}

export const pagesFor = (role: WhoAmI['role'] | undefined): readonly Page[] => (role ? byRole[role] : [])

/** The page to show: the one asked for if the role may use it, else the role's first. */
export function allowedPage(asked: Page, role: WhoAmI['role'] | undefined): Page | null {
  const allowed = pagesFor(role)
  return allowed.includes(asked) ? asked : (allowed[0] ?? null)
}

/** A token in the address (`/#token=…`, the link `npm start` prints) is kept, then taken out of the address. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token')
  return token?.trim() ? token.trim() : null
}
