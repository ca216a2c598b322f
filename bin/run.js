#!/usr/bin/env node
// Entry point. Hot commands (`status`, `start` when already running) may be answered by a
// path that does not load oclif; everything else goes through oclif.
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
