// What bounds a load's memory whatever the file's size: blocks of bounded rows and bytes, and freed memory given back.
import type { Store } from '@qyzmet/sql'

/**
 * Rows and bytes of one block the stage writes (one part each). With the engine's defaults (about a million rows
 * or 256 MiB) a block, sorted and written with its 21 columns while merges of the earlier ones ran, was the largest
 * thing the stage held: its peak at 10 million rows fell from 1,319 to 1,022 MiB with blocks a quarter the size,
 * and a 30-million-row stage ended with 54 parts (bench/results/ingest-memory-*.md).
 */
export const stageBlockRows = 262_144
export const stageBlockBytes = 64 * 2 ** 20

/** Settings that keep an INSERT … SELECT's blocks at the stage's bound. */
export const boundedBlocks = {
  max_insert_block_size: String(stageBlockRows),
  min_insert_block_size_rows: String(stageBlockRows),
  min_insert_block_size_bytes: String(stageBlockBytes),
} as const

/**
 * Gives the embedded engine's freed memory back to the system, after the stage and after publishing. The engine
 * keeps what a statement freed (measured after a 10-million-row stage: 1,045 MiB resident while the engine counted
 * 69 MiB in use, about 400 MiB once given back), so publishing began on top of the stage's leftovers. A server
 * manages its own memory, and is left alone.
 */
export async function releaseMemory(store: Store): Promise<void> {
  if (store.config.engine.kind !== 'embedded') return
  await store.command('ingest:release-memory', 'SYSTEM JEMALLOC PURGE')
}
