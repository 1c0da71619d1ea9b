// Ingest workers: files, a drop folder and HTTP push into ClickHouse, validated, deduplicated and quarantined.
export * from './drop.ts'
export * from './formats.ts'
export * from './load.ts'
export * from './mapping.ts'
export * from './queue.ts'
export * from './report.ts'
export * from './status.ts'
