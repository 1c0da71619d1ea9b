// Releases: the public reads each release's record, figures and revisions; analysts reproduce a release's figures
// from the rows as they stood at its cut-off.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, ReleaseDetail, ReleaseList, ReleaseParams, Reproduction } from '../contract/index.ts'
import { BadRequest } from '../query/errors.ts'
import { requireRole } from '../query/guard.ts'
import { loadReleaseDetail, loadReleases, reproduceRelease } from '../release-read.ts'

export const releaseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The schema's coercion lets "Infinity" past an integer's bounds (as app.ts says of query strings): refuse it here.
  app.addHook('preHandler', async (request) => {
    const { release } = (request.params ?? {}) as { release?: unknown }
    if (typeof release === 'number' && !Number.isFinite(release))
      throw new BadRequest('release', 'must be a finite number')
  })
  app.get(
    '/releases',
    {
      schema: {
        tags: ['indicators'],
        summary: 'Every release: what its figures rest on, the suppression applied, how many periods it revised',
        response: { 200: ReleaseList, ...errorResponses(503) },
      },
    },
    async () => ({ releases: (await loadReleases(app.store)).map(({ row: _row, ...summary }) => summary) }),
  )

  app.get(
    '/releases/:release',
    {
      schema: {
        tags: ['indicators'],
        summary: 'A release: its record, its figures as published (withheld ones empty) and its revision notes',
        params: ReleaseParams,
        response: { 200: ReleaseDetail, ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => loadReleaseDetail(app.store, request.params.release),
  )

  app.get(
    '/releases/:release/reproduce',
    {
      schema: {
        tags: ['indicators'],
        summary:
          "Recomputes a release's figures from the rows ingested by its cut-off (analysts): the differences, if any",
        params: ReleaseParams,
        response: { 200: Reproduction, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      requireRole(request, ['analyst'], 'reproduce releases')
      return reproduceRelease(app.store, await app.reference(), request.params.release)
    },
  )
}
