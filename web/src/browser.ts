// The browser every browser test and benchmark drives: Debian's Chromium, headless, with nothing reaching outside,
// and the accessibility check they share.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'

const root = fileURLToPath(new URL('../../', import.meta.url))
const axePath = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url))

/** Launches the machine's Chromium (QYZMET_CHROMIUM or /usr/bin/chromium) without background network traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.QYZMET_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/** Serious and critical accessibility violations of the page, as "rule: targets" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern (a script tag
  // would be refused, as it should be).
  await page.evaluate(readFileSync(axePath, 'utf8'))
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>
        }
      }
    ).axe
    return (await axe.run(document)).violations
  })
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
}

/**
 * Builds web/dist when its sources are newer than it (`npm test` builds it before any test starts; a browser test
 * run alone needs this), before the API starts: it serves web/dist only when it exists at start.
 */
export function buildDashboard(): void {
  const built = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: root, stdio: 'inherit' })
  if (built.status !== 0) throw new Error('the dashboard did not build')
}

/** What listenLocally needs of a Fastify app. */
interface Listening {
  listen(options: { port: number; host: string }): Promise<unknown>
  server: { address(): unknown }
}

/** Starts the app on a free port of the loopback address; its base URL. */
export async function listenLocally(app: Listening): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address() as { port?: number } | null
  return `http://127.0.0.1:${address?.port ?? 0}`
}
