#!/usr/bin/env node
import { runMain } from '../dist/cli/main.js';

runMain(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
