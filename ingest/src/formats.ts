// What a file is: its format (from a flag, the extension, or its first bytes), compression, header and content hash.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { createGunzip } from 'node:zlib'

export const formats = ['csv', 'tsv', 'ndjson', 'parquet'] as const
export type Format = (typeof formats)[number]

export const isFormat = (name: string): name is Format => (formats as readonly string[]).includes(name)

/** Text from a file or the engine, fit to show: control characters escaped, at most `limit` characters. */
export function printable(text: string, limit = 400): string {
  const escaped = text.replace(/[\p{Cc}]/gu, (char) =>
    char === '\t' ? ' ' : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  )
  return escaped.length > limit ? `${escaped.slice(0, limit - 1)}…` : escaped
}

/** A file that cannot be read as a whole; the message names the file and the problem, printable. */
export class FileError extends Error {
  override name = 'FileError'
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(printable(`${file}: ${problem}`, 600))
  }
}

const extensions: Record<string, Format> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  parquet: 'parquet',
}

/** The format the name asks for (events.csv, feed.ndjson.gz, x.jsonl…), or null. */
export function formatFromName(name: string): Format | null {
  const extension =
    name
      .replace(/\.(gz|part)$/i, '')
      .replace(/\.gz$/i, '')
      .split('.')
      .pop()
      ?.toLowerCase() ?? ''
  return extensions[extension] ?? null
}

export interface Sniffed {
  gzip: boolean
  /** The bytes look like Parquet (PAR1), whatever the name says. */
  parquet: boolean
  size: number
}

export async function sniff(path: string): Promise<Sniffed> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const head = Buffer.alloc(4)
    await handle.read(head, 0, 4, 0)
    return {
      gzip: head[0] === 0x1f && head[1] === 0x8b,
      parquet: head.toString('latin1') === 'PAR1',
      size,
    }
  } finally {
    await handle.close()
  }
}

/** Chooses the format: the flag, else the extension; refuses a name and content that disagree about Parquet. */
export function chooseFormat(file: string, flag: Format | undefined, sniffed: Sniffed): Format {
  const format = flag ?? formatFromName(file)
  if (!format) {
    throw new FileError(file, 'unknown file type; use .csv, .tsv, .ndjson or .parquet (optionally .gz), or --format')
  }
  if (/\.gz$/i.test(file) && !sniffed.gzip) throw new FileError(file, 'is named .gz but is not gzip-compressed')
  if (format === 'parquet' && !sniffed.parquet) {
    throw new FileError(
      file,
      `is not a Parquet file (it does not start with PAR1)${sniffed.gzip ? '; it is gzip' : ''}`,
    )
  }
  if (format !== 'parquet' && sniffed.parquet) {
    throw new FileError(file, `looks like Parquet, not ${format.toUpperCase()}; use --format parquet or rename it`)
  }
  if (format === 'parquet' && sniffed.gzip) throw new FileError(file, 'Parquet is compressed inside; do not gzip it')
  return format
}

export async function sha256(path: string, onBytes?: (bytes: number) => void): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer)
    onBytes?.((chunk as Buffer).length)
  }
  return hash.digest('hex')
}

export interface Header {
  names: string[]
  /** Lines end in CR LF (the TSV reader must be told). */
  crlf: boolean
}

const headerLimit = 1 << 20

/** Splits one CSV or TSV record; CSV fields may be quoted with "" escapes. */
export function splitRecord(line: string, delimiter: ',' | '\t'): string[] {
  if (delimiter === '\t') return line.split('\t')
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const char = line[i]
    if (quoted && char === '"' && line[i + 1] === '"') {
      field += '"'
      i++
    } else if (char === '"') {
      quoted = !quoted
    } else if (char === ',' && !quoted) {
      fields.push(field)
      field = ''
    } else {
      field += char
    }
  }
  fields.push(field)
  return fields
}

/** Reads the first record of a CSV or TSV file (through gzip when compressed): its column names. `file` names it. */
export async function readHeader(
  path: string,
  format: 'csv' | 'tsv',
  gzip: boolean,
  file = basename(path),
): Promise<Header | null> {
  const input = createReadStream(path, { highWaterMark: 64 * 1024 })
  const stream = gzip ? input.pipe(createGunzip()) : input
  let text = ''
  try {
    for await (const chunk of stream) {
      text += (chunk as Buffer).toString('utf8')
      const end = recordEnd(text, format)
      if (end >= 0) return header(file, text.slice(0, end), format)
      if (text.length > headerLimit) throw new FileError(file, 'the first line is longer than 1 MiB: no header found')
    }
  } catch (error) {
    if (error instanceof FileError) throw error
    throw new FileError(file, `cannot read the header (${(error as Error).message})`)
  } finally {
    input.destroy()
  }
  return text.replace(/^\uFEFF/, '').trim() === '' ? null : header(file, text, format)
}

/** Index of the newline that ends the first record (CSV newlines inside quotes do not), or -1. */
function recordEnd(text: string, format: 'csv' | 'tsv'): number {
  if (format === 'tsv') return text.indexOf('\n')
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted
    else if (text[i] === '\n' && !quoted) return i
  }
  return -1
}

/** Bytes no text file has: NUL and control characters other than tab, LF, CR and ESC. */
const binary = (text: string) =>
  [...text].some((char) => {
    const code = char.charCodeAt(0)
    return code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x1b
  })

function header(file: string, line: string, format: 'csv' | 'tsv'): Header {
  if (binary(line)) {
    throw new FileError(
      file,
      `is not ${format.toUpperCase()} text: its first line has binary bytes (is it Parquet, a spreadsheet or compressed?)`,
    )
  }
  const crlf = line.endsWith('\r')
  const clean = line.replace(/^\uFEFF/, '').replace(/\r$/, '')
  return { names: splitRecord(clean, format === 'csv' ? ',' : '\t').map((name) => name.trim()), crlf }
}
