// Fuzz test support, run as a child process: does a long ingest file name stop the server (issue 14 item 1)?
// Exits 0 with "survived" when the process lives on (before the fix it died with ENAMETOOLONG).
import { openTestStore } from '@qyzmet/sql/testing'
import { buildApp } from './app.ts'
import { createToken } from './tokens.ts'

const store = await openTestStore()
// The parent removes the directory: when the defect strikes, this process dies before it could.
process.stdout.write(`data: ${store.dataDir}\n`)
const app = await buildApp(store, { dashboard: false })
const { token } = await createToken(store, { name: 'crash', role: 'ingest' })
const answer = await app.inject({
  method: 'POST',
  url: `/api/v1/ingest/events?name=${'n'.repeat(255)}`,
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  payload: '{"event_id":"a"}',
})
// The stream's error comes a moment after the answer.
await new Promise((done) => setTimeout(done, 2000))
process.stdout.write(`survived: ${answer.statusCode}\n`)
await app.close()
await store.close()
