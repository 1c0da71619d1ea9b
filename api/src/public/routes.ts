// The public portal's routes: server-rendered pages (home, indicator, service, open data), embeds, chart images,
// downloads and the JSON of public targets and the DCAT catalogue. Published data only; no token is read.

import type { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  Catalog,
  DownloadParams,
  DownloadQuery,
  EmbedParams,
  type EmbedParams as EmbedParamsType,
  EmbedQuery,
  errorResponses,
  ImageParams,
  type Lang,
  PageQuery,
  PublicIndicatorParams,
  PublicTargetList,
  ServiceParams,
} from '../contract/index.ts'
import { NotFound } from '../query/errors.ts'
import { renderPng, renderSvg } from './charts.ts'
import { type ChartBlock, defaultSizes, latestCells } from './components.ts'
import { sendCompressed } from './compress.ts'
import { planDownload, streamDownload } from './downloads.ts'
import { html } from './html.ts'
import { type PageContext, page, pageContext, toAppScript, withLang } from './layout.ts'
import { PageCache } from './page-cache.ts'
import { breakdownBlock, seriesBlock } from './pages/blocks.ts'
import { embedView } from './pages/embed.ts'
import { homePage } from './pages/home.ts'
import { indicatorPage } from './pages/indicator.ts'
import { catalog, openDataPage } from './pages/open-data.ts'
import { servicePage } from './pages/service.ts'
import { loadCells } from './published.ts'
import { loadSnapshot, type Snapshot, servicePublications, targetFor } from './snapshot.ts'

/** Published pages change only when an analyst publishes: a minute of caching costs little and spares the engine. */
const pageCache = 'public, max-age=60'

const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`

/** For a demo sample, how many national transactions one row stands for (kept fresh by a hook of the portal). */
let demoOneIn: number | null = null

function context(request: FastifyRequest, lang: Lang | undefined): PageContext {
  const [path = '/', search = ''] = request.url.split('?')
  // The query as sent, for the language links that keep it (the schema has checked what the page itself reads).
  return pageContext(lang, path, Object.fromEntries(new URLSearchParams(search)), originOf(request), demoOneIn)
}

const sendHtml = (request: FastifyRequest, reply: FastifyReply, body: string, cache = pageCache) =>
  sendCompressed(request, reply.type('text/html; charset=utf-8').header('cache-control', cache), body)

function notFoundPage(reply: FastifyReply, context: PageContext) {
  const { say, lang } = context
  const body = html`<h1>${say('notFound')}</h1><p>${say('notFoundText')}</p><p><a href="${withLang('/', lang)}">${say('backHome')}</a></p>`
  return reply
    .code(404)
    .type('text/html; charset=utf-8')
    .send(page(context, { title: say('notFound'), body }))
}

/** A file answer (a download, an image): the route's typed reply takes JSON bodies only. */
const fileHeaders = (reply: FastifyReply, type: string, disposition: string) =>
  reply.type(type).header('content-disposition', disposition).header('cache-control', pageCache)
const sendFile = (reply: FastifyReply, type: string, disposition: string, body: Buffer | Readable) =>
  fileHeaders(reply, type, disposition).send(body)

/** Other sites may frame an embed and show its images (the rest of the site keeps helmet's same-origin rules). */
const openToOtherSites = (reply: FastifyReply) => {
  // The site's policy lets only itself frame its pages; an embed is for every site's frames.
  const policy = String(reply.getHeader('content-security-policy') ?? '')
  if (policy) reply.header('content-security-policy', policy.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'))
  return reply.removeHeader('x-frame-options').header('cross-origin-resource-policy', 'cross-origin')
}

/** A page kept for the address it was asked at (embed snippets name the host). */
const keyOf = (request: FastifyRequest) => `${originOf(request)}${request.url}`
/** What a kept page holds when there is no such publication: the 404 page is made at each request. */
const notPublished = ''

const htmlPage = { produces: ['text/html'], tags: ['portal'] }

export const portalRoutes: FastifyPluginAsyncTypebox<{ suppressBelow: number }> = async (app, options) => {
  // The home page's hand-over to the signed-in app, as a file of this site: the policy runs no inline script.
  app.get('/portal/to-app.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(toAppScript),
  )
  app.addHook('preHandler', async () => {
    const { dataset } = await app.reference()
    demoOneIn = dataset?.kind === 'demo' ? Math.round(dataset.oneIn) : null
  })
  const pages = new PageCache(app.store)
  const snapshot = () => loadSnapshot(app, options.suppressBelow)
  const publication = (data: Snapshot, id: string) => {
    const found = data.publications.find((item) => item.definition.id === id)
    if (!found) throw new NotFound(`no published indicator ${id}`)
    return found
  }

  /** The chart a request names: the series (between from and to) or a breakdown of one period. */
  async function chartOf(data: Snapshot, pageContext: PageContext, params: EmbedParamsType, query: EmbedQuery) {
    const found = publication(data, params.id)
    if (params.view === 'series') {
      const input = {
        publication: found,
        values: data.values.get(found.definition.id) ?? [],
        target: targetFor(data, found),
        reference: data.reference,
        from: query.from,
        to: query.to,
      }
      return { publication: found, block: seriesBlock(pageContext, input) }
    }
    if (!found.definition.breakdowns?.includes(params.view))
      throw new NotFound(`indicator ${params.id} publishes no breakdown by ${params.view}`)
    const latest = latestCells(await loadCells(app.store, found), params.view, query.period)
    if (!latest.period || latest.cells.length === 0)
      throw new NotFound(
        `indicator ${params.id} has no published ${params.view} breakdown for ${query.period ?? 'a complete period'}`,
      )
    const input = {
      publication: found,
      cells: latest.cells,
      dimension: params.view,
      period: latest.period,
      reference: data.reference,
    }
    return { publication: found, block: breakdownBlock(pageContext, input) }
  }

  app.get(
    '/',
    { schema: { ...htmlPage, summary: 'The public home', querystring: PageQuery } },
    async (request, reply) => {
      const page = await pages.get(keyOf(request), async () =>
        homePage(app, context(request, request.query.lang), await snapshot(), request.query.notice === 'signed_out'),
      )
      // A browser with a token moves on to the app from here: the page must not be kept for another visitor's state.
      return sendHtml(request, reply, page, 'no-cache')
    },
  )

  app.get(
    '/indicators/:id',
    {
      schema: { ...htmlPage, summary: 'A published indicator', params: PublicIndicatorParams, querystring: PageQuery },
    },
    async (request, reply) => {
      const pageContext = context(request, request.query.lang)
      const page = await pages.get(keyOf(request), async () => {
        const data = await snapshot()
        const found = data.publications.find((item) => item.definition.id === request.params.id)
        return found ? indicatorPage(app, pageContext, data, found) : notPublished
      })
      return page === notPublished ? notFoundPage(reply, pageContext) : sendHtml(request, reply, page)
    },
  )

  app.get(
    '/services/:code',
    {
      schema: { ...htmlPage, summary: "A service's published measures", params: ServiceParams, querystring: PageQuery },
    },
    async (request, reply) => {
      const pageContext = context(request, request.query.lang)
      const page = await pages.get(keyOf(request), async () => {
        const data = await snapshot()
        const publications = servicePublications(data).get(request.params.code)
        if (!publications) return notPublished
        const volume = publications.find(
          (item) => item.definition.metric === 'volume' && item.definition.breakdowns?.includes('channel'),
        )
        const cells = volume ? await loadCells(app.store, volume) : []
        return servicePage(pageContext, data, request.params.code, publications, cells)
      })
      return page === notPublished ? notFoundPage(reply, pageContext) : sendHtml(request, reply, page)
    },
  )

  app.get(
    '/open-data',
    { schema: { ...htmlPage, summary: 'The open-data catalogue', querystring: PageQuery } },
    async (request, reply) =>
      sendHtml(
        request,
        reply,
        await pages.get(keyOf(request), async () =>
          openDataPage(context(request, request.query.lang), await snapshot()),
        ),
      ),
  )

  app.get(
    '/open-data/:id/:format',
    {
      schema: {
        tags: ['portal'],
        summary:
          'A version of a published indicator (series or breakdown) as CSV or Parquet, headers in the language asked',
        params: DownloadParams,
        querystring: DownloadQuery,
        response: errorResponses(400, 404, 503),
      },
    },
    async (request, reply) => {
      const data = await snapshot()
      const found = publication(data, request.params.id)
      const { format } = request.params
      const download = planDownload(
        found,
        { ...request.query, lang: request.query.lang ?? 'kk', part: request.query.part ?? 'series', format },
        data.reference,
      )
      const stream = await streamDownload(app.store, download, format)
      return sendFile(
        reply,
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet',
        `attachment; filename="${download.fileName}"`,
        stream,
      )
    },
  )

  const catalogRoute = {
    schema: {
      tags: ['portal'],
      summary: 'The open-data catalogue as DCAT (JSON-LD)',
      response: { 200: Catalog, ...errorResponses(503) },
    },
  }
  app.get('/open-data/catalog.json', catalogRoute, async (request, reply) => {
    reply.type('application/ld+json; charset=utf-8').header('cache-control', pageCache)
    return catalog(await snapshot(), originOf(request))
  })
  app.get('/api/v1/public/catalog', catalogRoute, async (request) => catalog(await snapshot(), originOf(request)))

  app.get(
    '/api/v1/public/targets',
    {
      schema: {
        tags: ['portal'],
        summary: 'Targets judged on published values only (open to the public)',
        response: { 200: PublicTargetList, ...errorResponses(503) },
      },
    },
    async () => ({ targets: (await snapshot()).targets }),
  )

  app.get(
    '/embed/:id/:view',
    {
      schema: {
        ...htmlPage,
        summary: 'A public chart to embed in an iframe',
        params: EmbedParams,
        querystring: EmbedQuery,
      },
    },
    async (request, reply) => {
      const pageContext = context(request, request.query.lang)
      const page = await pages.get(keyOf(request), async () => {
        const { publication: found, block } = await chartOf(
          await snapshot(),
          pageContext,
          request.params,
          request.query,
        )
        return embedView(pageContext, found, block)
      })
      // Embeds are meant for other sites' frames, unlike the rest of the site.
      openToOtherSites(reply)
      return sendHtml(request, reply, page)
    },
  )

  app.get(
    '/embed/:id/:view/image.:format',
    {
      schema: {
        tags: ['portal'],
        summary: 'A public chart as an SVG or PNG image',
        params: ImageParams,
        querystring: EmbedQuery,
        response: errorResponses(400, 404, 503),
      },
    },
    async (request, reply) => {
      const { format, ...params } = request.params
      // A news article may show the image itself (<img>), not only the embed's frame.
      openToOtherSites(reply)
      const pageContext = context(request, request.query.lang)
      const drawing = async () => {
        const { block } = await chartOf(await snapshot(), pageContext, params, request.query)
        return imageOf(block, request.query)
      }
      const name = `${params.id}-${params.view}-${pageContext.lang}.${format}`
      const disposition = `inline; filename="${name}"`
      return format === 'svg'
        ? sendCompressed(
            request,
            fileHeaders(reply, 'image/svg+xml; charset=utf-8', disposition),
            await pages.get(keyOf(request), drawing),
          )
        : sendFile(
            reply,
            'image/png',
            disposition,
            await pages.get(keyOf(request), async () => renderPng(await drawing())),
          )
    },
  )
}

function imageOf(block: ChartBlock, query: EmbedQuery): string {
  const [width, height] = (block.size ?? defaultSizes).wide
  const narrow = (query.width ?? width) < 560
  return renderSvg(block.option(narrow), query.width ?? width, query.height ?? height, block.title)
}
