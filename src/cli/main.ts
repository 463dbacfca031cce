#!/usr/bin/env node
/**
 * The `pyguard` executable: runs the CLI against the real process.
 */
import { errorMessage } from './errors.js';
import { run } from './run.js';

// A closed pipe (`pyguard scan | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE')
    process.stderr.write(`pyguard: cannot write the report: ${errorMessage(error)}\n`);
  process.exit(error.code === 'EPIPE' ? (process.exitCode ?? 0) : 2);
});

try {
  process.exitCode = await run(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    // Opened only for `pyguard scan -`: a terminal on stdin is never waited on otherwise.
    stdin: () => process.stdin,
  });
} catch (error: unknown) {
  process.stderr.write(`pyguard: ${errorMessage(error)}\n`);
  process.exitCode = 2;
}
