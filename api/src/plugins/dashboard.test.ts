// The built dashboard as served: brotli or gzip made at build time, hashed assets cached for a year, the rest
// revalidated, the app's entry for its own paths; and the build's compressed files equal to their originals.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dashboard, dashboardDir, isHashedAsset } from './dashboard.ts'

const root = mkdtempSync(join(tmpdir(), 'qyzmet-dist-'))
const script = 'console.log("the app")\n'.repeat(200)
const app = Fastify()

beforeAll(async () => {
  mkdirSync(join(root, 'assets'))
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>')
  for (const [name, content] of [
    ['assets/index-AbCdEf12.js', script],
    ['index.html', '<!doctype html><div id="root"></div>'],
  ] as const) {
    writeFileSync(join(root, name), content)
    writeFileSync(join(root, `${name}.br`), brotliCompressSync(content))
    writeFileSync(join(root, `${name}.gz`), gzipSync(content))
  }
  await app.register(dashboard, { root })
  await app.ready()
})

afterAll(async () => {
  await app.close()
  rmSync(root, { recursive: true, force: true })
})

describe('static dashboard files', () => {
  it('sends a hashed asset as brotli or gzip, as the client accepts, cached for a year', async () => {
    const brotli = await app.inject({ url: '/assets/index-AbCdEf12.js', headers: { 'accept-encoding': 'gzip, br' } })
    expect(brotli.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(script)
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(brotli.headers.vary).toMatch(/accept-encoding/i)
    const gzip = await app.inject({ url: '/assets/index-AbCdEf12.js', headers: { 'accept-encoding': 'gzip' } })
    expect(gzip.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(script)
    const plain = await app.inject({ url: '/assets/index-AbCdEf12.js', headers: { 'accept-encoding': 'identity' } })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe(script)
  })

  it("serves the app's entry for its paths, revalidated each time", async () => {
    const overview = await app.inject({ url: '/overview?lang=en', headers: { 'accept-encoding': 'br' } })
    expect(overview.statusCode).toBe(200)
    expect(overview.headers['cache-control']).toBe('no-cache')
    expect(brotliDecompressSync(overview.rawPayload).toString()).toContain('<div id="root">')
  })

  it('knows a hashed asset by its name', () => {
    expect(isHashedAsset('/dist/assets/Channels-DIHMu36z.js')).toBe(true)
    expect(isHashedAsset('/dist/assets/Channels-DIHMu36z.js.br')).toBe(true)
    expect(isHashedAsset('/dist/index.html')).toBe(false)
    expect(isHashedAsset('/dist/geo/kz_regions.geojson')).toBe(false)
  })

  it('has every text file of the real build beside its brotli and gzip copies, equal once unpacked', () => {
    if (!existsSync(join(dashboardDir, 'index.html'))) return
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
      )
    const texts = files(dashboardDir).filter((file) => /\.(js|css|html|geojson)$/.test(file))
    expect(texts.length).toBeGreaterThan(3)
    for (const file of texts) {
      const original = readFileSync(file)
      expect(brotliDecompressSync(readFileSync(`${file}.br`)).equals(original), file).toBe(true)
      expect(gunzipSync(readFileSync(`${file}.gz`)).equals(original), file).toBe(true)
    }
  })
})
