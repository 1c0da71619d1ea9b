// A link to another view: a real href (open in a new tab, copy), followed in place without reloading the app.
import type { ReactNode } from 'react'
import { useSession } from '../session.tsx'
import { navigate, type ViewChange, viewUrl } from '../view.ts'

export function ViewLink({
  to,
  children,
  current,
}: {
  to: ViewChange
  children: ReactNode
  /** aria-current for the link of the view being shown. */
  current?: 'page' | 'true'
}) {
  const { view } = useSession()
  const href = viewUrl(view, to)
  return (
    <a
      href={href}
      aria-current={current}
      onClick={(event) => {
        // A modified click opens a new tab or window, as on any link.
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
        event.preventDefault()
        navigate(href)
      }}
    >
      {children}
    </a>
  )
}
