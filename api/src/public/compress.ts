// Compresses a server-rendered page or drawing for the client that accepts it: brotli (a fast level: the page is
// made per request) or gzip; a slow phone on 4G then waits for a fifth of the bytes.
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'

const brotli = promisify(brotliCompress)
const gzipped = promisify(gzip)

/** Below this a page gains less than the header costs. */
const smallest = 1024

export async function sendCompressed(
  request: FastifyRequest,
  reply: FastifyReply,
  body: string,
): Promise<FastifyReply> {
  reply.header('vary', 'accept-encoding')
  const accepted = String(request.headers['accept-encoding'] ?? '')
  if (body.length < smallest || reply.getHeader('content-encoding')) return reply.send(body)
  if (/\bbr\b/.test(accepted)) {
    const packed = await brotli(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    })
    return reply.header('content-encoding', 'br').send(packed)
  }
  if (/\bgzip\b/.test(accepted)) return reply.header('content-encoding', 'gzip').send(await gzipped(body, { level: 6 }))
  return reply.send(body)
}
