// What bounds a load's memory whatever the file's size: blocks of bounded rows and bytes, and freed memory given back.
import type { Store } from '@qyzmet/sql'

/**
 * Rows and bytes of one block the stage writes (one part each). The engine's defaults (about a million rows or
 * 256 MiB) made each block, sorted and written with its 21 columns, the largest thing a load held; a quarter of
 * that held a third less at 10 million rows, and the number of stage parts stays low enough for its merges
 * (bench/results/ingest-memory-*.md).
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
 * Gives the embedded engine's freed memory back to the system between a load's statements. The engine keeps what
 * a statement freed (measured: 0.5 GiB resident after a statement whose own data was 30 MiB), so each statement
 * began on top of the last one's leftovers; a server manages its own memory, and is left alone.
 */
export async function releaseMemory(store: Store): Promise<void> {
  if (store.config.engine.kind !== 'embedded') return
  await store.command('ingest:release-memory', 'SYSTEM JEMALLOC PURGE')
}
