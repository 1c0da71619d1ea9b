// `npm run ingest -- FILE…`: loads files through a running Qyzmet server, or into the store directly when none runs.
import { createReadStream, statSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, loadReference, migrate, openStore, referenceLoaded, type Store } from '@qyzmet/sql'
import { FileError, type Format, isFormat } from './formats.ts'
import { type LoadSummary, loadFile, type Progress } from './load.ts'
import { loadMapping, type Mapping, MappingError } from './mapping.ts'
import { progressBar, summaryText } from './report.ts'

const usage = `Usage: npm run ingest -- [options] FILE…

Loads event files (CSV, TSV, NDJSON, Parquet, each optionally .gz) exactly once: valid rows
into events, invalid rows into quarantine with their reasons. Sends them to a running Qyzmet
server when one answers, else opens the store (QYZMET_DATA_DIR or CLICKHOUSE_URL) itself.

  --format F      csv, tsv, ndjson or parquet (default: from the file name)
  --mapping FILE  column mapping JSON (see ingest/mappings/tson-export.json)
  --source NAME   feed name stored with rows that have no source column (default: upload)
  --server URL    Qyzmet server (default QYZMET_SERVER_URL, else http://localhost:PORT if it answers)
  --token T       ingest token for the server (default QYZMET_INGEST_TOKEN)
  --local         open the store directly, even if a server answers
  --bucket-rows N valid rows deduplicated and inserted at a time (default 1000000; bounds memory)
  --json          print a JSON summary on stdout
  --progress      write each step of a local load as a JSON line on stderr (for logs and supervisors; a terminal
                  gets a progress bar without it)
  --help`

interface Target {
  load(
    path: string,
    options: { format?: Format; mapping?: Mapping; source?: string },
    signal: AbortSignal,
  ): Promise<LoadSummary>
  close(): Promise<void>
  where: string
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(800) })).ok
  } catch {
    return false
  }
}

function serverTarget(url: string, token: string | undefined): Target {
  return {
    where: url,
    close: async () => undefined,
    async load(path, options, signal) {
      const query = new URLSearchParams({ name: basename(path) })
      if (options.format) query.set('format', options.format)
      if (options.source) query.set('source', options.source)
      const headers: Record<string, string> = { 'content-type': 'application/octet-stream' }
      if (token) headers.authorization = `Bearer ${token}`
      if (options.mapping)
        headers['x-ingest-mapping'] = Buffer.from(JSON.stringify(options.mapping)).toString('base64url')
      const response = await fetch(`${url}/api/v1/ingest/events?${query}`, {
        method: 'POST',
        headers,
        body: createReadStream(path) as unknown as ReadableStream,
        signal,
        // Node's fetch streams a request body only in half-duplex mode.
        duplex: 'half',
      } as RequestInit)
      const body = (await response.json()) as { summary?: LoadSummary; message?: string } & LoadSummary
      if (response.ok) return body
      if (body.summary) return body.summary
      throw new Error(`${url} answered ${response.status}: ${body.message ?? 'no reason given'}`)
    },
  }
}

/** Progress as one JSON object per line, for whatever reads stderr when it is not a terminal. */
const progressLines = (file: string) => (progress: Progress) =>
  process.stderr.write(`${JSON.stringify({ file, ...progress })}\n`)

async function localTarget(bucketRows: number | undefined, lines: boolean): Promise<Target> {
  const store: Store = await openStore(loadConfig())
  await migrate(store)
  if (!(await referenceLoaded(store))) await loadReference(store)
  const engine = store.config.engine
  return {
    where: engine.kind === 'embedded' ? engine.dataDir : engine.url,
    close: () => store.close(),
    load: (path, options, signal) =>
      loadFile(store, path, {
        ...options,
        bucketRows,
        signal,
        onProgress: lines
          ? progressLines(basename(path))
          : process.stderr.isTTY
            ? progressBar(basename(path), (text) => process.stderr.write(text))
            : undefined,
      }),
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      mapping: { type: 'string' },
      source: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      local: { type: 'boolean' },
      'bucket-rows': { type: 'string' },
      json: { type: 'boolean' },
      progress: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  })
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${usage}\n`)
    return values.help ? 0 : 2
  }
  if (values.format && !isFormat(values.format)) {
    throw new ConfigError('--format', `"${values.format}" is not a format`, 'Use csv, tsv, ndjson or parquet.')
  }
  const format = values.format as Format | undefined
  const mapping = values.mapping ? loadMapping(values.mapping) : undefined
  for (const path of positionals) statSync(path)
  const explicit = values.server ?? process.env.QYZMET_SERVER_URL
  const local = `http://localhost:${process.env.PORT ?? 8080}`
  const server = values.local ? null : (explicit ?? ((await answers(local)) ? local : null))
  const bucketRows = values['bucket-rows'] ? Number(values['bucket-rows']) : undefined
  if (bucketRows !== undefined && !(Number.isInteger(bucketRows) && bucketRows > 0)) {
    throw new ConfigError(
      '--bucket-rows',
      `"${values['bucket-rows']}" is not a positive whole number`,
      'Use e.g. 1000000.',
    )
  }
  const target = server
    ? serverTarget(server, values.token ?? process.env.QYZMET_INGEST_TOKEN)
    : await localTarget(bucketRows, values.progress === true)
  if (!values.json) process.stderr.write(`qyzmet-ingest: loading into ${target.where}\n`)

  // First Ctrl-C: finish the bucket in flight and stop (the file resumes on the next run); second: leave now.
  const controller = new AbortController()
  process.on('SIGINT', () => (controller.signal.aborted ? process.exit(130) : controller.abort()))
  process.on('SIGTERM', () => controller.abort())

  const summaries: LoadSummary[] = []
  try {
    for (const path of positionals) {
      if (controller.signal.aborted) break
      const summary = await target.load(path, { format, mapping, source: values.source }, controller.signal)
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K')
      summaries.push(summary)
      if (!values.json) process.stderr.write(`${summaryText(summary)}\n`)
    }
  } finally {
    await target.close()
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ files: summaries }, null, 2)}\n`)
  return summaries.some((s) => s.state === 'failed' || s.state === 'interrupted') ? 1 : 0
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    const known = error instanceof ConfigError || error instanceof FileError || error instanceof MappingError
    const message = error instanceof Error ? error.message : String(error)
    const missing =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? `no such file: ${(error as { path?: string }).path}` : null
    process.stderr.write(`qyzmet-ingest: ${missing ?? (known ? message : `stopped: ${message}`)}\n`)
    process.exit(2)
  })
