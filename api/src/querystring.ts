// The query-string parser: list parameters accept commas and repetition alike; prototype keys are plain keys.
import { listParameters } from './contract/index.ts'

const lists = new Set<string>(listParameters)

/**
 * `region=75,71` and `region=75&region=71` both become ['75', '71'] (empty items dropped); other parameters stay
 * strings, and a repeated one becomes a list that its schema refuses ("give it once").
 */
export function parseQueryString(text: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null)
  for (const [name, value] of new URLSearchParams(text)) {
    if (lists.has(name)) {
      const items = value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
      const previous = result[name]
      result[name] = [...(Array.isArray(previous) ? previous : []), ...items]
      continue
    }
    const previous = result[name]
    result[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value]
  }
  return result
}
