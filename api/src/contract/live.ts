// The live view: today's transactions by hour and channel and the last hour by minute, as a snapshot and a stream.
import { type Static, Type } from 'typebox'
import { Day, Nullable } from './common.ts'

export const LiveQuery = Type.Object(
  {
    region: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), {
        maxItems: 300,
        description: 'region KATO codes (a regional token: its own regions by default); several as a comma list',
      }),
    ),
  },
  { additionalProperties: false },
)
export type LiveQuery = Static<typeof LiveQuery>

export const LiveHour = Type.Object({
  hour: Type.Integer({ minimum: 0, maximum: 23, description: 'hour of the day in the deployment time zone' }),
  channel: Type.String(),
  transactions: Type.Integer({ minimum: 0 }),
  completed: Type.Integer({ minimum: 0 }),
})

export const LiveMinute = Type.Object({
  minute: Type.String({ description: 'start of the minute, ISO 8601 UTC' }),
  transactions: Type.Integer({ minimum: 0 }),
})

export const LiveSnapshot = Type.Object(
  {
    day: Day('today in the deployment time zone'),
    timezone: Type.String(),
    asOf: Type.String({ description: 'when the figures were read, ISO 8601 UTC' }),
    regions: Type.Array(Type.String(), { description: 'the regions counted; empty: the whole country' }),
    provisional: Type.Boolean({ description: 'always true: feeds still report today, the counts only grow' }),
    transactions: Type.Integer({ minimum: 0, description: 'transactions received so far that happened today' }),
    completed: Type.Integer({ minimum: 0 }),
    hours: Type.Array(LiveHour, { description: 'today by hour (when the request was made) and channel' }),
    minutes: Type.Array(LiveMinute, {
      description: 'the last 60 minutes, every minute (zeros included), by when the request was made',
    }),
    lastEvent: Nullable(Type.String({ description: 'the latest request time today, ISO 8601 UTC' })),
    lastReceived: Nullable(Type.String({ description: "when the latest of today's rows was stored, ISO 8601 UTC" })),
  },
  { description: 'What happened today so far, as received' },
)
export type LiveSnapshot = Static<typeof LiveSnapshot>

/** The SSE stream's events: `snapshot` (data: a LiveSnapshot), `unavailable` (data: an error body), `bye`. */
export const liveEvents = ['snapshot', 'unavailable', 'bye'] as const
export type LiveEvent = (typeof liveEvents)[number]
