// A filter that holds several values: a disclosure listing a dimension's values as checkboxes, summarised when closed.
import { useEffect, useRef } from 'react'
import { useSession } from '../session.tsx'
import type { Dimension } from '../view.ts'

interface Props {
  name: Dimension
  label: string
  items: readonly { code: string; name: string }[]
  chosen: readonly string[]
  onChange: (codes: string[]) => void
}

export function Choices({ name, label, items, chosen, onChange }: Props) {
  const { t } = useSession()
  const details = useRef<HTMLDetailsElement>(null)
  // Closes on Escape or on a click elsewhere, as a select does.
  useEffect(() => {
    const close = (event: KeyboardEvent | PointerEvent) => {
      const node = details.current
      if (!node?.open) return
      const away = event instanceof KeyboardEvent ? event.key === 'Escape' : !node.contains(event.target as Node)
      if (!away) return
      node.open = false
      if (event instanceof KeyboardEvent) node.querySelector('summary')?.focus()
    }
    document.addEventListener('pointerdown', close)
    document.addEventListener('keydown', close)
    return () => {
      document.removeEventListener('pointerdown', close)
      document.removeEventListener('keydown', close)
    }
  }, [])
  // A code from a shared link that this list does not show (another category's service) stays visible and removable.
  const shown = [
    ...items,
    ...chosen.filter((code) => !items.some((item) => item.code === code)).map((code) => ({ code, name: code })),
  ]
  const first = shown.find((item) => item.code === chosen[0])
  const summary =
    chosen.length === 0
      ? t('all')
      : chosen.length === 1
        ? (first?.name ?? chosen[0])
        : t('selectedCount', { count: chosen.length })
  const toggle = (code: string, on: boolean) =>
    // Kept in the list's order, so that the same choice always makes the same URL.
    onChange(shown.map((item) => item.code).filter((item) => (item === code ? on : chosen.includes(item))))
  return (
    <details ref={details} className="filter choices" data-filter={name}>
      <summary>
        <span>{label}</span>
        <span className="choices-value">{summary}</span>
      </summary>
      <fieldset className="choices-list">
        <legend className="visually-hidden">{label}</legend>
        <button type="button" className="link-button" disabled={chosen.length === 0} onClick={() => onChange([])}>
          {t('all')}
        </button>
        {shown.map((item) => (
          <label key={item.code}>
            <input
              type="checkbox"
              name={name}
              value={item.code}
              checked={chosen.includes(item.code)}
              onChange={(event) => toggle(item.code, event.target.checked)}
            />
            {item.name}
          </label>
        ))}
      </fieldset>
    </details>
  )
}
