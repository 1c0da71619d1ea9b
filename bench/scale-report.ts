// A results file written again after every phase of a long benchmark, so that a run stopped early leaves its phases.
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'

export class Report {
  private readonly sections = new Map<string, string[]>()
  private readonly started = loadavg()
  private readonly startedAt = new Date()

  constructor(
    private readonly file: URL,
    private readonly title: string,
    private readonly setup: string,
  ) {}

  /** Adds a finished phase (or replaces the one of that name, as it grows) and rewrites the file. */
  section(lines: string[], name = String(this.sections.size)): void {
    this.sections.set(name, lines)
    this.write()
  }

  private write(): void {
    const now = loadavg()
    const load = (values: number[]) => values.map((value) => value.toFixed(1)).join(' / ')
    const header = [
      `# ${this.title}`,
      '',
      `Started ${this.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, last written ` +
        `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${cpus().length} cores ` +
        `(${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ` +
        `embedded ClickHouse (chdb). Load average (1/5/15 min) ${load(this.started)} at the start, ${load(now)} ` +
        'when this file was last written: the two cores are shared with other work, so only ratios measured in ' +
        'the same run (interleaved) compare.',
      '',
      this.setup,
      '',
    ]
    mkdirSync(new URL('.', this.file), { recursive: true })
    writeFileSync(
      this.file,
      `${[...header, ...[...this.sections.values()].flatMap((lines) => [...lines, ''])].join('\n')}`,
    )
  }
}

export const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`
export const rssNow = () => process.memoryUsage().rss
/** Peak resident memory of this process (Node and the embedded engine), in bytes. */
export const rssPeak = () => process.resourceUsage().maxRSS * 1024
export const thousands = (value: number) => Math.round(value).toLocaleString('en')
