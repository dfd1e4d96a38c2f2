#!/usr/bin/env node
import { runEngine } from '../dist/src/engine/main.js';

runEngine(process.argv.slice(2)).catch((err) => {
  console.error(`hotline-engine: ${err.message}`);
  process.exit(1);
});
