// README examples are real output: each code block after `<!-- example: <baton args> -->` must be what that command prints.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, ROOT } from '../helpers/cli.js';

const README = path.join(ROOT, 'README.md');
/** The marker, then the fenced block it describes (its fence line, its body, its closing fence). */
const EXAMPLE = /<!-- example: (.+?) -->\n(```[^\n]*\n)([\s\S]*?)(```)/g;

interface Example {
  args: string[];
  body: string;
  /** Offset of the block body in the README text. */
  start: number;
}

function examples(text: string): Example[] {
  return [...text.matchAll(EXAMPLE)].map((m) => ({
    args: (m[1] as string).trim().split(/\s+/),
    body: m[3] as string,
    start: (m.index ?? 0) + m[0].length - (m[3] as string).length - (m[4] as string).length,
  }));
}

/** What the command prints (stdout, then stderr), run from the repository root as the README's paths assume. */
async function output(args: string[]): Promise<string> {
  const r = await baton(args, { cwd: ROOT, env: { NO_COLOR: '1', CI: 'true', COLUMNS: '120' } });
  const text = r.stdout + r.stderr;
  return text.endsWith('\n') ? text : `${text}\n`;
}

describe('README examples', () => {
  const found = examples(fs.readFileSync(README, 'utf8'));

  it('has marked examples', () => expect(found.length).toBeGreaterThanOrEqual(2));

  it.each(found.map((e) => [e.args.join(' '), e]))('`baton %s` prints what the README shows', async (_, example) => {
    const actual = await output(example.args);
    if (process.env.UPDATE_README === '1' && actual !== example.body) {
      // Rewrite just this block, re-reading the file: other examples may have been rewritten meanwhile.
      const text = fs.readFileSync(README, 'utf8');
      const again = examples(text).find((e) => e.args.join(' ') === example.args.join(' '));
      if (again) fs.writeFileSync(README, text.slice(0, again.start) + actual + text.slice(again.start + again.body.length));
      return;
    }
    expect(example.body, 'the README shows other output: regenerate it with `npm run docs`').toBe(actual);
  });
});
