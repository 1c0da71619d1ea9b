// Annotations of time charts: the known events every deployment of this reference carries (the lockdown), and those
// analysts add (reforms, outages, campaigns), some of them breaks that anomaly baselines must not reach across.
import { randomUUID } from 'node:crypto'
import type { Store } from '@qyzmet/sql'
import type { Annotation } from '../contract/index.ts'
import { scopeFromMap } from '../targets/store.ts'
import type { Break } from './detect.ts'

type AnnotationKind = Annotation['kind']

/** A structural break (`isBreak`) starts the detector's baselines again after it; a built-in one is not stored. */
export type { Annotation }

/**
 * The 2020 lockdown (21 March – 10 May; one-stop-shops closed, services moved online), the same period the public
 * portal's and the dashboard's charts mark: a break in every series.
 */
export const lockdown: Annotation = {
  id: 'lockdown-2020',
  from: '2020-03-21',
  to: '2020-05-10',
  kind: 'reform',
  isBreak: true,
  scope: {},
  title: {
    kk: 'Карантин: ХҚКО жабық, қызметтер онлайнға көшті',
    ru: 'Карантин: ЦОНы закрыты, услуги перешли в онлайн',
    en: 'Lockdown: one-stop-shops closed, services moved online',
  },
  createdBy: 'qyzmet',
  origin: 'builtin',
}

interface AnnotationRow {
  id: string
  on_from: string
  on_to: string
  kind: AnnotationKind
  is_break: number
  scope: Record<string, string[]>
  title_kk: string
  title_ru: string
  title_en: string
  created_by: string
}

/** Every annotation overlapping [from, to] (all of them without a range), the built-in ones first. */
export async function loadAnnotations(store: Store, from?: string, to?: string): Promise<Annotation[]> {
  const rows = await store.rows<AnnotationRow>(
    'monitor:annotations',
    `SELECT id, toString(day_from) AS on_from, toString(day_to) AS on_to, toString(kind) AS kind, is_break, scope,
            title_kk, title_ru, title_en, created_by
     FROM monitor_annotations FINAL
     WHERE deleted = 0 ${from ? 'AND day_to >= {from:Date}' : ''} ${to ? 'AND day_from <= {to:Date}' : ''}
     ORDER BY day_from, id`,
    { from, to },
  )
  const builtIn = [lockdown].filter((annotation) => (!from || annotation.to >= from) && (!to || annotation.from <= to))
  return [
    ...builtIn,
    ...rows.map((row) => ({
      id: row.id,
      from: row.on_from,
      to: row.on_to,
      kind: row.kind,
      isBreak: Number(row.is_break) === 1,
      scope: scopeFromMap(row.scope),
      title: { kk: row.title_kk, ru: row.title_ru, en: row.title_en },
      createdBy: row.created_by,
      origin: 'analyst' as const,
    })),
  ]
}

export type AnnotationInput = Omit<Annotation, 'id' | 'createdBy' | 'origin'>

export async function saveAnnotation(
  store: Store,
  input: AnnotationInput,
  by: string,
  id: string = randomUUID(),
): Promise<string> {
  await store.insert('monitor:annotations:save', 'monitor_annotations', [
    {
      id,
      day_from: input.from,
      day_to: input.to,
      kind: input.kind,
      is_break: input.isBreak ? 1 : 0,
      scope: input.scope,
      title_kk: input.title.kk,
      title_ru: input.title.ru,
      title_en: input.title.en,
      created_by: by,
    },
  ])
  return id
}

export async function deleteAnnotation(store: Store, annotation: Annotation): Promise<void> {
  await store.insert('monitor:annotations:delete', 'monitor_annotations', [
    {
      id: annotation.id,
      day_from: annotation.from,
      day_to: annotation.to,
      kind: annotation.kind,
      is_break: 0,
      scope: {},
      title_kk: '',
      title_ru: '',
      title_en: '',
      created_by: annotation.createdBy,
      deleted: 1,
    },
  ])
}

/** The breaks the detector knows: the built-in ones and analysts' annotations marked as breaks. */
export async function knownBreaks(store: Store): Promise<Break[]> {
  return (await loadAnnotations(store)).filter((annotation) => annotation.isBreak).map(({ from, to }) => ({ from, to }))
}
