// The API server.
export * from './app.ts'
export * from './startup.ts'
