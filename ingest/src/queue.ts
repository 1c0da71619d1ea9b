// A bounded queue of loads run one at a time: pushes beyond its capacity are refused, not buffered.
export class LoadQueue {
  private running = 0
  private waiting: (() => void)[] = []
  private readonly controller = new AbortController()

  constructor(readonly capacity: number) {}

  /** The signal every queued load watches: aborted on shutdown, so loads stop between buckets. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  get full(): boolean {
    return this.running + this.waiting.length >= this.capacity
  }

  get closed(): boolean {
    return this.controller.signal.aborted
  }

  /** Runs the task when its turn comes; the caller checks `full` first. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running > 0) await new Promise<void>((start) => this.waiting.push(start))
    this.running++
    try {
      return await task()
    } finally {
      this.running--
      this.waiting.shift()?.()
    }
  }

  /** Stops taking work, asks running loads to stop at the next bucket, and waits for them. */
  async close(): Promise<void> {
    this.controller.abort()
    while (this.running > 0 || this.waiting.length > 0) await new Promise((done) => setTimeout(done, 50))
  }
}
