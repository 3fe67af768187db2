// A CommandIO whose output is kept as text: app-layer functions called by the UI say what they did through it.
import { Writable } from 'node:stream';
import type { CommandIO } from '../app/io.js';

export interface CapturedIO extends CommandIO {
  /** What was written to stdout and stderr, in order. */
  text(): string;
}

export function captureIO(): CapturedIO {
  let text = '';
  const sink = (): Writable =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        if (text.length < 64 * 1024) text += chunk.toString();
        done();
      },
    });
  // Plain text: the messages are shown in a page, not a terminal.
  return { stdout: sink(), stderr: sink(), env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined }, cwd: process.cwd(), text: () => text };
}
