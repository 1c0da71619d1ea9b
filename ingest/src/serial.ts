// One publish at a time in this process: two batches sharing an event_id must not both find it absent.
let tail: Promise<unknown> = Promise.resolve()

export function exclusive<T>(run: () => Promise<T>): Promise<T> {
  const next = tail.then(run, run)
  tail = next.catch(() => undefined)
  return next
}
