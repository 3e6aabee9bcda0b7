#!/usr/bin/env node
/**
 * The `overseer` executable: the one place that ends the process, once the command is done.
 */
import { runCli } from './program.js';

const code = await runCli(process.argv);
// Flush what was printed before exiting: stdout may be a pipe that drains asynchronously.
process.stdout.write('', () => process.exit(code));
