// The note shown when a view's dates span a change of regions: new regions split off, earlier rows under the parents.
import { periodRange, spansDay } from '../filters.ts'
import { formatDay, listOf } from '../i18n.ts'
import { useSession } from '../session.tsx'

export function SplitNote() {
  const { t, lang, meta, view, label } = useSession()
  if (!meta) return null
  const range = periodRange(view.filters, meta)
  // Grouped by the day of the split, from the region reference table (validFrom, splitFrom), not from code.
  const splits = new Map<string, { code: string; parent: string }[]>()
  for (const region of meta.dimensions.region) {
    if (!region.validFrom || !region.splitFrom || !spansDay(range, region.validFrom)) continue
    splits.set(region.validFrom, [
      ...(splits.get(region.validFrom) ?? []),
      { code: region.code, parent: region.splitFrom },
    ])
  }
  if (splits.size === 0) return null
  return (
    <>
      {[...splits].map(([day, regions]) => (
        <p key={day} className="note span-full" data-note="region-split">
          {t('splitNote', {
            date: formatDay(lang, day),
            count: regions.length,
            parentCount: new Set(regions.map((region) => region.parent)).size,
            new: listOf(
              lang,
              regions.map((region) => label('region', region.code)),
            ),
            parents: listOf(
              lang,
              regions.map((region) => label('region', region.parent)),
            ),
          })}
        </p>
      ))}
    </>
  )
}
