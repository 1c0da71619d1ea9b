// What a person reads: the progress bar on stderr while loading and the summary at the end.
import type { LoadSummary, Progress } from './load.ts'

const n = (value: number) => value.toLocaleString('en')

function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--'
  const s = Math.round(seconds)
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

/** A one-line bar redrawn in place: the phase, rows, rows/s and time left (from bytes, then from buckets). */
export function progressBar(file: string, write: (text: string) => void): (progress: Progress) => void {
  const started = performance.now()
  let phaseStarted = started
  let phase = ''
  return (progress) => {
    if (progress.phase !== phase) {
      phase = progress.phase
      phaseStarted = performance.now()
    }
    const elapsed = (performance.now() - phaseStarted) / 1000
    const [done, total] =
      progress.totalRows > 0 ? [progress.rows, progress.totalRows] : [progress.bytes, progress.totalBytes]
    const fraction = total > 0 ? Math.min(1, done / total) : 0
    const width = 24
    const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '.')
    const rate = progress.totalRows > 0 && elapsed > 0 ? `${n(Math.round(progress.rows / elapsed))} rows/s` : ''
    const left = fraction > 0 ? eta((elapsed / fraction) * (1 - fraction)) : '--:--'
    const rows = progress.totalRows > 0 ? `${n(progress.rows)}/${n(progress.totalRows)} rows` : ''
    write(
      `\r\x1b[K${file} ${progress.phase.padEnd(10)} [${bar}] ${Math.round(fraction * 100)}% ${rows} ${rate} ETA ${left}`,
    )
  }
}

const verdict: Record<LoadSummary['state'], string> = {
  done: 'loaded',
  already_loaded: 'already loaded before: nothing new',
  failed: 'FAILED',
  interrupted: 'interrupted: run the same command again to finish it',
}

export function summaryText(summary: LoadSummary): string {
  const lines = [`${summary.file}: ${verdict[summary.state]} (${summary.seconds.toFixed(1)} s)`]
  if (summary.error) lines.push(`  ${summary.error}`)
  if (summary.state === 'failed') return lines.join('\n')
  const rate = summary.seconds > 0 ? ` (${n(Math.round(summary.rows / summary.seconds))} rows/s)` : ''
  lines.push(
    `  rows read         ${n(summary.rows)}${rate}`,
    `  loaded            ${n(summary.loaded)}`,
    `  duplicates        ${n(summary.duplicatesInBatch)} within the file, ${n(summary.duplicatesExisting)} already stored`,
    `  quarantined       ${n(summary.quarantined)}`,
  )
  for (const [reason, count] of Object.entries(summary.reasons)) lines.push(`    ${reason.padEnd(30)} ${n(count)}`)
  if (summary.ignoredColumns.length > 0) lines.push(`  ignored columns   ${summary.ignoredColumns.join(', ')}`)
  if (summary.batchId) lines.push(`  batch             ${summary.batchId}`)
  return lines.join('\n')
}
