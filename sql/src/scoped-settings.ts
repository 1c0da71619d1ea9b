// Query settings for the embedded engine as the query's own SETTINGS clause, so that they cannot leak.
//
// chdb's Connection turns `clickhouse_settings` into `SET k = v;` before the statement, which changes the one
// shared session for every later (and every concurrent) query: a deduplication token, a row limit or a timeout
// set for one query would apply to the next. A SETTINGS clause applies to its own query only.

/** Settings that exist only in ClickHouse's HTTP layer; chdb drops them, so they stay where they were. */
const httpOnly = new Set([
  'wait_end_of_query',
  'send_progress_in_http_headers',
  'http_response_buffer_size',
  'http_headers_progress_interval_ms',
  'http_send_progress_interval_ms',
  'enable_http_compression',
  'http_zlib_compression_level',
  'http_response_compression_method',
  'http_native_compression_disable_checksumming_on_decompress',
  'default_format',
])

const literal = (value: unknown) =>
  typeof value === 'number'
    ? String(value)
    : typeof value === 'boolean'
      ? value
        ? '1'
        : '0'
      : `'${String(value).replaceAll("'", "''")}'`

/** The statement with the settings in a SETTINGS clause: before a trailing FORMAT, merged into a trailing SETTINGS. */
export function withSettings(sql: string, settings: Record<string, unknown>): string {
  const pairs = Object.entries(settings)
    .filter(([name, value]) => value !== undefined && !httpOnly.has(name))
    .map(([name, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid setting name ${JSON.stringify(name)}`)
      return `${name} = ${literal(value)}`
    })
  if (pairs.length === 0) return sql
  const body = sql.trimEnd()
  const format = /\sFORMAT\s+\w+$/i.exec(body)
  const head = format ? body.slice(0, format.index) : body
  const tail = format ? format[0] : ''
  // An INSERT of client data: INSERT INTO t (columns) SETTINGS … FORMAT X, or SETTINGS … VALUES (…).
  if (/^\s*INSERT\s+INTO\b/i.test(head) && !/\bSELECT\b/i.test(head)) {
    if (format) return `${head} SETTINGS ${pairs.join(', ')}${tail}`
    const values = /\sVALUES\s*\(/i.exec(head)
    if (values) return `${head.slice(0, values.index)} SETTINGS ${pairs.join(', ')}${head.slice(values.index)}`
  }
  // A trailing SETTINGS clause (no parenthesis after it, so not inside a subquery) takes the new ones too, except
  // those it sets itself: as on a server, where a query's own SETTINGS override the request's.
  const trailing = /\bSETTINGS\s+(\w+\s*=[^()]*)$/i.exec(head)
  if (trailing) {
    const own = new Set([...(trailing[1] ?? '').matchAll(/(\w+)\s*=/g)].map((match) => match[1]))
    const added = pairs.filter((pair) => !own.has(pair.slice(0, pair.indexOf(' '))))
    return added.length ? `${head}, ${added.join(', ')}${tail}` : `${head}${tail}`
  }
  return `${head}\nSETTINGS ${pairs.join(', ')}${tail}`
}

/** Keeps only the HTTP-layer settings for the connection; the rest went into the SQL. */
export function httpSettings(settings: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!settings) return settings
  const kept = Object.fromEntries(Object.entries(settings).filter(([name]) => httpOnly.has(name)))
  return Object.keys(kept).length ? kept : undefined
}
