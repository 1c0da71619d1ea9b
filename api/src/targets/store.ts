// Targets in the store: read, save and delete, with their scope typed.
import { randomUUID } from 'node:crypto'
import type { Store } from '@qyzmet/sql'
import { type Scope, scopeNames, type Target, type TargetBody } from '../contract/index.ts'

interface TargetRow {
  id: string
  metric: string
  scope: Record<string, string[]>
  value: number
  due_date: string
  baseline_date: string | null
  title_kk: string
  title_ru: string
  title_en: string
  created_by: string
  updated_at: string
}

/** The stored scope as the contract types it: only the known filter names, non-empty lists. */
export function scopeFromMap(map: Record<string, string[]>): Scope {
  const scope: Record<string, string[]> = {}
  for (const name of scopeNames) {
    const values = Object.hasOwn(map, name) ? map[name] : undefined
    if (values && values.length > 0) scope[name] = values
  }
  return scope as Scope
}

const shape = (row: TargetRow): Target => ({
  id: row.id,
  metric: row.metric,
  filters: scopeFromMap(row.scope),
  value: Number(row.value),
  dueDate: row.due_date,
  ...(row.baseline_date ? { baseline: row.baseline_date } : {}),
  title: { kk: row.title_kk, ru: row.title_ru, en: row.title_en },
  createdBy: row.created_by,
  updatedAt: row.updated_at,
})

export async function loadTargets(store: Store, id?: string): Promise<Target[]> {
  const rows = await store.rows<TargetRow>(
    'targets:list',
    `SELECT id, metric, scope, value, toString(due_date) AS due_date, toString(baseline_date) AS baseline_date, title_kk, title_ru, title_en, created_by,
            toString(updated_at) AS updated_at
     FROM targets FINAL WHERE deleted = 0 ${id === undefined ? '' : 'AND id = {id:String}'} ORDER BY due_date, id`,
    { id },
  )
  return rows.map(shape)
}

export async function saveTarget(
  store: Store,
  body: TargetBody,
  by: string,
  id: string = randomUUID(),
): Promise<string> {
  await store.command(
    'targets:save',
    `INSERT INTO targets (id, metric, scope, filters, value, due_date, baseline_date, title_kk, title_ru, title_en, created_by)
     VALUES ({id:String}, {metric:String}, {scope:Map(String, Array(String))}, '', {value:Float64}, {due:Date},
             {baseline:Nullable(Date)}, {kk:String}, {ru:String}, {en:String}, {by:String})`,
    {
      id,
      metric: body.metric,
      scope: body.filters ?? {},
      value: body.value,
      due: body.dueDate,
      baseline: body.baseline ?? null,
      kk: body.title.kk,
      ru: body.title.ru,
      en: body.title.en,
      by,
    },
  )
  return id
}

export async function deleteTarget(store: Store, id: string): Promise<void> {
  await store.command(
    'targets:delete',
    `INSERT INTO targets (id, metric, scope, filters, value, due_date, baseline_date, title_kk, title_ru, title_en, created_by, deleted)
     SELECT id, metric, scope, filters, value, due_date, baseline_date, title_kk, title_ru, title_en, created_by, 1
     FROM targets FINAL WHERE id = {id:String}`,
    { id },
  )
}
