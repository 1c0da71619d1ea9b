// The API contract: every route's parameters, bodies and answers as TypeBox schemas, with their static types.
// The server validates and serialises with them, OpenAPI documents them, and the dashboard imports their types.
export * from './common.ts'
export * from './filters.ts'
export * from './indicators.ts'
export * from './ingest.ts'
export * from './meta.ts'
export * from './metrics.ts'
export * from './monitoring.ts'
export * from './periods.ts'
export * from './public.ts'
export * from './shift.ts'
export * from './targets.ts'
