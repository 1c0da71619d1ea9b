// Wall-screen mode for an operations room: the chosen pages in turn, full screen, large type, no controls; entered
// by URL (`?wall=live,overview&every=30`), so that a screen is set up once.
import { type ComponentType, Suspense, useEffect, useState } from 'react'
import { formatDay } from '../i18n.ts'
import { useSession } from '../session.tsx'
import { navigate, nextWallPage, type Page, viewUrl, wallSeconds } from '../view.ts'

const clockOf = (zone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(),
  )

export function Wall({ pages, components }: { pages: readonly Page[]; components: Record<Page, ComponentType> }) {
  const { t, lang, view, meta, token } = useSession()
  const page = pages.includes(view.page) ? view.page : (pages[0] ?? 'live')
  const seconds = view.every ?? wallSeconds.fallback
  const zone = meta?.timezone ?? 'Asia/Almaty'
  const [clock, setClock] = useState(() => clockOf(zone))

  useEffect(() => {
    if (page !== view.page) navigate(viewUrl(view, { page }), { replace: true })
  }, [page, view])
  // The next page after `every` seconds; replacing the history entry, so that a screen running for days keeps one.
  useEffect(() => {
    if (pages.length < 2) return
    const timer = setTimeout(
      () => navigate(viewUrl(view, { page: nextWallPage(pages, page) }), { replace: true }),
      seconds * 1000,
    )
    return () => clearTimeout(timer)
  }, [pages, page, seconds, view])
  useEffect(() => {
    const timer = setInterval(() => setClock(clockOf(zone)), 10_000)
    return () => clearInterval(timer)
  }, [zone])
  useEffect(() => {
    document.documentElement.classList.add('wall-mode')
    return () => document.documentElement.classList.remove('wall-mode')
  }, [])

  const Current = components[page]
  return (
    // A click anywhere asks for full screen (browsers allow it only after a gesture; a kiosk browser is already).
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: no control on a wall; F11 does the same by keyboard
    <div
      className="wall"
      data-wall={pages.join(',')}
      onClick={() => void document.documentElement.requestFullscreen?.().catch(() => {})}
    >
      <header className="wall-bar">
        <h1>{t(page)}</h1>
        <ol className="wall-pages" aria-label={t('wallPages')}>
          {pages.map((name) => (
            <li key={name} aria-current={name === page ? 'page' : undefined}>
              {t(name)}
            </li>
          ))}
        </ol>
        <p className="wall-clock">
          <time>{clock}</time> · {meta ? formatDay(lang, meta.today) : ''}
        </p>
      </header>
      <main id="main" className="wall-main">
        <Suspense fallback={<p className="state">{t('loading')}</p>}>
          <Current key={`${token}-${page}`} />
        </Suspense>
      </main>
    </div>
  )
}
