#!/usr/bin/env node
import { handleClosedOutput, main } from '../dist/cli/main.js';
handleClosedOutput();
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
