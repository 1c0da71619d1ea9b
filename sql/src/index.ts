// The store: configuration, connection, migrations and the rollup catalogue.
export * from './config.ts'
export * from './events.ts'
export * from './migrate.ts'
export * from './reference.ts'
export * from './repair.ts'
export * from './rollups.ts'
export * from './store.ts'
export * from './time.ts'
