// The reference files read straight from sql/reference/, for tests that recompute figures apart from the code under
// test (which reads the same files through the store).
import { readFileSync } from 'node:fs'

/** A reference CSV's data lines (its header left out). */
export const referenceLines = (file: string): string[] =>
  readFileSync(new URL(`../../sql/reference/${file}`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)

/** The codes of the online channels (channels.csv's second column). */
export const onlineChannelCodes = (): string[] =>
  referenceLines('channels.csv')
    .map((line) => line.split(','))
    .filter((cells) => cells[1] === 'online')
    .map((cells) => cells[0] ?? '')
