#!/usr/bin/env node
// qyzmet-ingest: the ingest CLI (ingest/src/cli.ts) run through tsx, so it needs no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli.ts')
