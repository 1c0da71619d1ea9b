// The bytes of the same answer in every format and encoding (issue 16: Arrow ≤ 0.5× the bytes of gzip JSON);
// `npx tsx bench/answers.ts` (BENCH_ROWS demo events, 2,000,000 by default). Sizes do not depend on the machine's
// load, so one run of each is the measurement; each Arrow answer is decoded and its rows counted against JSON's.
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { tableFromIPC } from 'apache-arrow'
import { buildApp } from '../api/src/app.ts'
import { bearer } from '../api/src/testing.ts'
import { createToken } from '../api/src/tokens.ts'
import { openBenchStore, report } from './setup.ts'

const rows = Number(process.env.BENCH_ROWS ?? 2_000_000)
const until = '2026-10-31'

const answers = [
  {
    name: 'requests by month, region and service, two years',
    path: 'requests/series',
    by: 'region,service',
    from: '2024-11-01',
    interval: 'month',
  },
  {
    name: 'requests by day, region and channel, one year',
    path: 'requests/series',
    by: 'region,channel',
    from: '2025-11-01',
    interval: 'day',
  },
  {
    name: 'online share by month and region since 2019',
    path: 'online_share/series',
    by: 'region',
    from: '2019-01-01',
    interval: 'month',
  },
]
const encodings = ['identity', 'gzip', 'br'] as const
const formats = ['json', 'csv', 'arrow', 'parquet'] as const

const decode = (body: Buffer, encoding: string | undefined) =>
  encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body

async function main(): Promise<void> {
  const out = report(`bench/results/answers-${rows}-${new Date().toISOString().slice(0, 10)}.md`)
  const { store, close } = await openBenchStore('answers', rows, until)
  try {
    const { token } = await createToken(store, { name: 'bench', role: 'analyst' })
    const app = await buildApp(store, { anonymousRateLimit: 1_000_000 })
    out.say(`# Benchmark: the bytes of one answer in each format and encoding (${rows.toLocaleString('en')} events)`)
    out.say('')
    out.say(
      'Each answer asked through the API (`app.inject`) with `Accept-Encoding` identity, gzip and br; the bytes are ' +
        'those sent. Arrow: IPC stream, low-cardinality codes as dictionaries, no IPC-level compression (JavaScript ' +
        'readers have no codec for it), HTTP compression on top. Parquet: zstd inside, sent as it is.',
    )
    out.say('')
    out.say('| answer | rows | format | identity | gzip | br | ÷ gzip JSON (gzip; br) |')
    out.say('| --- | ---: | --- | ---: | ---: | ---: | ---: |')
    for (const answer of answers) {
      const base = `/api/v1/metrics/${answer.path}?by=${answer.by}&from=${answer.from}&to=${until}&interval=${answer.interval}`
      const sizes = new Map<string, Record<string, number>>()
      let count = 0
      for (const format of formats) {
        const bytes: Record<string, number> = {}
        for (const encoding of encodings) {
          const response = await app.inject({
            url: `${base}&format=${format}`,
            headers: { ...bearer(token), 'accept-encoding': encoding, 'cache-control': 'no-cache' },
          })
          if (response.statusCode !== 200) throw new Error(`${base} ${format}: ${response.statusCode} ${response.body}`)
          bytes[encoding] = response.rawPayload.length
          const body = decode(response.rawPayload, response.headers['content-encoding'] as string | undefined)
          if (format === 'json' && encoding === 'identity') count = JSON.parse(body.toString('utf8')).rows.length
          if (format === 'arrow') {
            const decoded = tableFromIPC(body).numRows
            if (decoded !== count) throw new Error(`${answer.name}: Arrow has ${decoded} rows, JSON ${count}`)
          }
        }
        sizes.set(format, bytes)
      }
      const gzipJson = sizes.get('json')?.gzip ?? 1
      for (const [format, bytes] of sizes) {
        const kb = (value = 0) => `${(value / 1024).toFixed(1)} KiB`
        out.say(
          `| ${answer.name} | ${count.toLocaleString('en')} | ${format} | ${kb(bytes.identity)} | ${kb(bytes.gzip)} | ` +
            `${kb(bytes.br)} | ${((bytes.gzip ?? 0) / gzipJson).toFixed(2)}; ${((bytes.br ?? 0) / gzipJson).toFixed(2)} |`,
        )
      }
      out.write()
    }
    await app.close()
  } finally {
    await close()
  }
  out.write()
}

await main()
