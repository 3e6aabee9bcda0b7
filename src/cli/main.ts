#!/usr/bin/env node
/**
 * The `overseer` executable: the one place that ends the process, once the command is done.
 */
import { tolerateClosedOutput } from './output.js';
import { runCli } from './program.js';

tolerateClosedOutput();
const code = await runCli(process.argv);
// Flush what was printed before exiting: stdout may be a pipe that drains asynchronously
// (or a closed one, whose write calls back at once with its error).
process.stdout.write('', () => process.exit(code));
