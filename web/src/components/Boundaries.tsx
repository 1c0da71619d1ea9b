// The boundaries a region's figures are on (of the time, or 2024's throughout), and what 2024's could not attribute.
import type { MetricTable } from '../api.ts'
import { formatDay } from '../i18n.ts'
import { useSession } from '../session.tsx'
import { goTo } from '../view.ts'

/** Two choices, kept in the URL (`boundaries=2024`), so that a link shows the same figures. */
export function BoundariesChoice() {
  const { t, view } = useSession()
  const on2024 = view.boundaries2024 === true
  return (
    <fieldset className="toggle boundaries-choice" data-boundaries-choice={on2024 ? '2024' : 'of_the_time'}>
      <legend>{t('boundariesChoice')}</legend>
      <label className="toggle">
        <input
          type="radio"
          name="boundaries"
          checked={!on2024}
          onChange={() => goTo(view, { boundaries2024: false })}
        />
        {t('boundariesOfTheTime')}
      </label>
      <label className="toggle">
        <input type="radio" name="boundaries" checked={on2024} onChange={() => goTo(view, { boundaries2024: true })} />
        {t('boundaries2024')}
      </label>
    </fieldset>
  )
}

/** On 2024 boundaries: what was done, and for each parent the earlier transactions left with it, never silently. */
export function BoundariesNote({ table }: { table: MetricTable | undefined }) {
  const { t, lang, label } = useSession()
  const note = table?.boundaries
  if (note?.basis !== '2024' || !note.split) return null
  const date = formatDay(lang, note.split)
  return (
    <div className="note span-full" data-note="boundaries-2024">
      <p>{t('boundaries2024Note', { date })}</p>
      {note.unattributed
        .filter((row) => row.events !== 0)
        .map((row) => (
          <p key={row.region} data-unattributed={row.region}>
            {row.events === null
              ? t('unattributedWithheld', { region: label('region', row.region), date })
              : t('unattributedNote', { region: label('region', row.region), date, count: row.events })}
          </p>
        ))}
    </div>
  )
}
