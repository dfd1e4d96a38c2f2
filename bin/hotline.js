#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then((code) => {
  if (code >= 0) process.exitCode = code;
}, (err) => {
  console.error(`hotline: ${err.message}`);
  process.exit(1);
});
