// A chart panel: title, chart or table (toggle), CSV download, and loading / empty / error states at a fixed height.
import type { EChartsCoreOption } from 'echarts/core'
import { type ReactNode, useId, useState } from 'react'
import { csvUrl, downloadWithToken } from '../api.ts'
import { type ChartClick, EChart } from '../charts/EChart.tsx'
import { errorMessage } from '../errors.ts'
import type { Loaded } from '../queries.ts'
import { useSession } from '../session.tsx'

export interface TableData {
  columns: string[]
  /** Cells are text, or a link (a region name that opens its page). */
  rows: (string | number | ReactNode)[][]
  /** Indexes of columns aligned right (numbers). */
  numeric?: number[]
}

interface Props {
  title: string
  /** The API request behind the chart; its CSV twin is the download. */
  source?: string
  state: Loaded<unknown>
  empty: boolean
  height?: number
  option: EChartsCoreOption | null
  table: TableData | null
  onChartClick?: (event: ChartClick) => void
  /** Extra controls (toggles) in the panel header. */
  controls?: ReactNode
  footer?: ReactNode
  /** Share of the page grid's width; stacks to full width on phones. */
  span?: 'half' | 'full' | 'third' | 'two-thirds'
  csvHref?: string
  /** A panel that is a table only (no chart to toggle). */
  tableOnly?: boolean
  /** What the empty state says, when "no data for these filters" is not it. */
  emptyText?: string
}

export function Panel({
  title,
  source,
  state,
  empty,
  height = 320,
  option,
  table,
  onChartClick,
  controls,
  footer,
  span = 'half',
  csvHref,
  tableOnly = false,
  emptyText,
}: Props) {
  const { t } = useSession()
  const [asTable, setAsTable] = useState(false)
  const headingId = useId()
  const phase = state.status === 'ready' ? (empty ? 'empty' : 'ready') : state.status
  const download = csvHref ?? (source ? csvUrl(source) : undefined)
  const fileName = `${title.replace(/[^\p{L}\p{N}]+/gu, '-').toLowerCase()}.csv`
  return (
    <section className={`panel span-${span}`} aria-labelledby={headingId} data-chart={phase}>
      <header className="panel-head">
        <h2 id={headingId}>{title}</h2>
        <div className="panel-actions">
          {controls}
          {!tableOnly && (
            <button type="button" className="link-button" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
              {asTable ? t('showChart') : t('showTable')}
            </button>
          )}
          {download && (
            <a
              href={download}
              download={fileName}
              onClick={(event) => {
                // A plain link cannot carry the token; fetch it with the header and save the answer.
                event.preventDefault()
                void downloadWithToken(download, fileName)
              }}
            >
              {t('downloadCsv')}
            </a>
          )}
        </div>
      </header>
      <div className="panel-body" style={{ height }}>
        {phase === 'loading' && (
          <p className="state" role="status">
            {t('loading')}
          </p>
        )}
        {phase === 'error' && (
          <p className="state error" role="alert">
            {errorMessage(t, state.error)}
          </p>
        )}
        {phase === 'empty' && <p className="state">{emptyText ?? t('empty')}</p>}
        {phase === 'ready' && !asTable && !tableOnly && option && (
          <EChart option={option} height={height} label={title} onClick={onChartClick} />
        )}
        {phase === 'ready' && (asTable || tableOnly) && table && <DataTable table={table} caption={title} />}
      </div>
      {footer}
    </section>
  )
}

export function DataTable({ table, caption }: { table: TableData; caption: string }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard (axe scrollable-region-focusable)
    <section className="table-scroll" tabIndex={0} aria-label={caption}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {table.columns.map((column, index) => (
              <th key={column} scope="col" className={table.numeric?.includes(index) ? 'num' : undefined}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, rowIndex) => (
            // Rows have no id of their own; their order is the table's and never changes in place.
            <tr key={rowIndex}>
              {row.map((cell, index) => (
                <td key={table.columns[index]} className={table.numeric?.includes(index) ? 'num' : undefined}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
