#!/usr/bin/env -S node --
// `node --`: Node reads a script's own `--env-file X` argument as its option (nodejs/node#54232); `--` stops that.
import { handleClosedOutput, main } from '../dist/cli/main.js';
handleClosedOutput();
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
