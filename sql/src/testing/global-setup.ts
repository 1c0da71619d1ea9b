// The server project's test run: one ClickHouse server from chDB's library for every test file, stopped after.
import type { TestProject } from 'vitest/node'
import { startTestServer, type TestServer } from './clickhouse-server.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    clickhouseUrl: string
  }
}

let server: TestServer | null = null

export async function setup(project: TestProject): Promise<void> {
  server = await startTestServer()
  project.provide('clickhouseUrl', server.url)
  process.stdout.write(`test server: ClickHouse ${server.url} (pid ${server.pid}, ${server.dataDir})\n`)
}

export async function teardown(): Promise<void> {
  await server?.stop()
}
