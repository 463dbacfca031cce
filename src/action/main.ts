#!/usr/bin/env node
/**
 * The Action's entry point (run by action.yml): runs {@link runAction} against the real
 * process and exits with its code.
 */
import { runAction } from './run.js';

process.exitCode = await runAction({
  env: process.env,
  log: (line) => {
    process.stdout.write(`${line}\n`);
  },
});
