// The dashboard's types are the contract's: rename a field of an answer in the contract and the dashboard no longer
// compiles (and with the contract as it is, it does).
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const contract = fileURLToPath(new URL('./', import.meta.url))
// Inside the repository, so that the copy resolves typebox and date-fns from its node_modules.
const scratch = join(root, 'node_modules', '.cache', `qyzmet-contract-check-${process.pid}`)

/** Type-checks web/src against a copy of the contract changed by `edit`; the exit status and output. */
function checkWebAgainst(
  edit: (files: { read(name: string): string; write(name: string, text: string): void }) => void,
) {
  rmSync(scratch, { recursive: true, force: true })
  mkdirSync(scratch, { recursive: true })
  const copy = join(scratch, 'contract')
  cpSync(contract, copy, { recursive: true, filter: (path) => !path.endsWith('.test.ts') })
  edit({
    read: (name) => readFileSync(join(copy, name), 'utf8'),
    write: (name, text) => writeFileSync(join(copy, name), text),
  })
  const config = {
    extends: join(root, 'tsconfig.json'),
    compilerOptions: {
      baseUrl: root,
      paths: { '@qyzmet/api/contract': [join(copy, 'index.ts')], '@qyzmet/api/contract/*': [join(copy, '*')] },
    },
    include: [join(root, 'web/src')],
    exclude: [join(root, 'web/src/**/*.test.ts'), join(root, 'web/src/**/*.test.tsx')],
  }
  writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(config))
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', scratch], {
    encoding: 'utf8',
  })
  return { status: tsc.status, output: `${tsc.stdout}${tsc.stderr}` }
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('the dashboard compiles against the contract', () => {
  it('as it is', () => {
    const { status, output } = checkWebAgainst(() => undefined)
    expect(output).toBe('')
    expect(status).toBe(0)
  })

  it('and not when a response field is renamed', () => {
    const { status, output } = checkWebAgainst((files) => {
      const text = files.read('metrics.ts')
      expect(text).toContain('  rows: Type.Array(MetricRow),')
      files.write('metrics.ts', text.replace('  rows: Type.Array(MetricRow),', '  records: Type.Array(MetricRow),'))
    })
    expect(status).not.toBe(0)
    expect(output).toMatch(/web\/src\/.*Property 'rows' does not exist/)
  })
})
