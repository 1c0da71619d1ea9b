// Request schemas shared by the routes, so that OpenAPI documents every parameter of the filter language.
import { Type } from '@fastify/type-provider-typebox'
import { intervals, presets } from '../query/filters.ts'

const list = (description: string) =>
  Type.Optional(Type.String({ description: `${description}; comma-separated for several` }))

export const filterQuerySchema = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date', description: 'first day, YYYY-MM-DD (Asia/Almaty calendar)' })),
    to: Type.Optional(Type.String({ format: 'date', description: 'last day, YYYY-MM-DD' })),
    period: Type.Optional(Type.String({ enum: [...presets], description: 'a preset instead of from/to' })),
    interval: Type.Optional(Type.String({ enum: [...intervals], description: 'length of each period of a series' })),
    region: list('region KATO code'),
    channel: list('channel code'),
    service: list('service code'),
    category: list('service category code'),
    age_band: list('age band'),
    gender: list('gender: f, m, unknown'),
    assisted_by: list('self, staff or volunteer'),
    by: list('dimensions to break down by (at most two)'),
    within_days: Type.Optional(Type.String({ description: 'channel migration: days after assistance (default 90)' })),
    format: Type.Optional(Type.String({ enum: ['json', 'csv', 'arrow', 'parquet'] })),
  },
  { additionalProperties: false },
)
