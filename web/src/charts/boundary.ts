// Where a series crosses a change of region boundaries (8 June 2022): the period to mark on its time axis.

/**
 * The index of the period that holds `day` (or begins on it), when the series runs across it: some of its data is
 * from before the day and some from on or after it. Null otherwise. `periods` are first days, sorted; `to` is the
 * range's last day.
 */
export function breakIndex(periods: readonly string[], day: string, to: string): number | null {
  const first = periods[0]
  if (first === undefined || first >= day || day > to) return null
  let index = -1
  for (const [position, start] of periods.entries()) if (start <= day) index = position
  return index
}
