// Analysts annotate the charts: a reform, an outage, a campaign over some days, titled in the three languages.
import type { AnnotationBody } from '@qyzmet/api/contract'
import { useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { errorMessage } from '../errors.ts'
import { languages, type PlainKey } from '../i18n.ts'
import { monitorWrites } from '../monitor.ts'
import { useSession } from '../session.tsx'

const kinds: Record<AnnotationBody['kind'], PlainKey> = {
  reform: 'annotationReform',
  outage: 'annotationOutage',
  campaign: 'annotationCampaign',
  other: 'annotationOther',
}

export function AnnotationForm() {
  const { t, meta, view } = useSession()
  const queries = useQueryClient()
  const today = meta?.today ?? ''
  const [from, setFrom] = useState(today)
  const [to, setTo] = useState(today)
  const [kind, setKind] = useState<AnnotationBody['kind']>('outage')
  const [title, setTitle] = useState({ kk: '', ru: '', en: '' })
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setSaid(null)
    try {
      const regions = view.filters.region
      await monitorWrites.annotate({
        from: from || today,
        to: to || from || today,
        kind,
        title,
        ...(regions.length ? { scope: { region: [...regions] } } : {}),
      })
      setTitle({ kk: '', ru: '', en: '' })
      setSaid({ ok: true, text: t('annotationSaved') })
      await queries.invalidateQueries({ queryKey: ['api'] })
    } catch (error) {
      setSaid({ ok: false, text: errorMessage(t, error) })
    }
  }
  return (
    <section className="panel span-full annotate" aria-labelledby="annotate-title">
      <header className="panel-head">
        <h2 id="annotate-title">{t('annotateTitle')}</h2>
      </header>
      <form className="annotate-form" onSubmit={submit}>
        <label>
          {t('from')}
          <input type="date" required value={from || today} onChange={(event) => setFrom(event.target.value)} />
        </label>
        <label>
          {t('to')}
          <input type="date" required value={to || today} onChange={(event) => setTo(event.target.value)} />
        </label>
        <label>
          {t('annotationKind')}
          <select value={kind} onChange={(event) => setKind(event.target.value as AnnotationBody['kind'])}>
            {Object.entries(kinds).map(([code, key]) => (
              <option key={code} value={code}>
                {t(key)}
              </option>
            ))}
          </select>
        </label>
        {languages.map((code) => (
          <label key={code} className="annotate-title">
            {`${t('annotationTitle')} (${code.toUpperCase()})`}
            <input
              lang={code}
              required
              maxLength={200}
              value={title[code]}
              onChange={(event) => setTitle({ ...title, [code]: event.target.value })}
            />
          </label>
        ))}
        <button type="submit">{t('annotationSave')}</button>
        {said && (
          <p className={said.ok ? 'note' : 'state error'} role={said.ok ? 'status' : 'alert'}>
            {said.text}
          </p>
        )}
      </form>
    </section>
  )
}
