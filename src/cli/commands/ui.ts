// `baton ui`: serve the web UI over the state folder until Ctrl-C.
import { InvalidArgumentError, type Command } from 'commander';
import { type CommandContext, STATE_DIR_HELP } from '../shared.js';

function port(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port number 0-65535, got "${value}"`);
  return n;
}

export function register(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('ui')
    .description('serve a web page with every run, live: diagram, timeline, logs, and actions (retry, cancel, signal…)')
    .option('--host <address>', 'address to listen on (any but loopback requires the access token)', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free one; the URL printed says which)', port, 7345)
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .option('--read-only', 'show runs but refuse every action', false)
    .option('--open', 'open the URL in the default browser', false)
    .option('--token <token>', 'the access token to require (default: none on loopback, a generated one otherwise)')
    .addHelpText('after', '\nPrints the URL as the first line of stdout; serves until Ctrl-C (exit 0).\n\nExamples:\n  baton ui\n  baton ui --port 0 --read-only\n  ssh -L 7345:127.0.0.1:7345 build-host   # then open http://127.0.0.1:7345/ here')
    .action(async (opts) => {
      const { serveUi } = await import('../../ui/serve.js');
      setExit(await serveUi(io, { host: opts.host, port: opts.port, stateDir: opts.stateDir, readOnly: Boolean(opts.readOnly), open: Boolean(opts.open), token: opts.token }));
    });
}
