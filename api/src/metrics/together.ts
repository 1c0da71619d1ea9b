// Several plans answered by one query: each plan's rows tagged with its position, its parameters renamed apart.
import type { Plan } from './types.ts'

/**
 * One round trip instead of one per plan (a comparison's three ranges): the engine runs the parts of a UNION ALL
 * in parallel, and a query's fixed cost (parsing, planning, the call itself) is paid once. Rows carry `part`, the
 * index of the plan they answer, and come ordered by it, each part's rows in their own order.
 */
export function planTogether(plans: readonly Plan[]): Plan {
  const params: Record<string, unknown> = {}
  const parts = plans.map((planned, index) => {
    for (const [name, value] of Object.entries(planned.params)) params[`p${index}_${name}`] = value
    // Only the plan's own parameters are renamed: `{name:Type}` is how the engine's query text binds them.
    const sql = planned.sql.replace(/\{(\w+):/g, (whole, name: string) =>
      name in planned.params ? `{p${index}_${name}:` : whole,
    )
    return `SELECT ${index} AS part, * FROM (${sql})`
  })
  return {
    sql: `SELECT * FROM (${parts.join('\nUNION ALL\n')}) ORDER BY part`,
    params,
    source: [...new Set(plans.map((planned) => planned.source))].join(' | '),
  }
}
