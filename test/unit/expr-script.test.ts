// Tests for run-script preparation, the env it needs (run for real in bash with hostile values), and the quote scanner.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ExpressionError,
  prepareScript,
  scriptEnv,
  singleQuotedExpressions,
  type EvalContext,
} from '../../src/expr/index.js';

function context(inputs: Record<string, unknown>): EvalContext {
  return {
    inputs, env: {}, vars: {}, tasks: {},
    run: { id: 'r', name: 'n', dir: '/d', invocation_dir: '/w', started_at: '', status: 'running', error: null },
  };
}

describe('prepareScript', () => {
  it.each([
    ['echo hi', 'echo hi', []],
    ['ls "${{ inputs.dir }}"/*.png', 'ls "${BATON_EXPR_0}"/*.png', [{ name: 'BATON_EXPR_0', source: 'inputs.dir' }]],
    [
      'cp ${{ a }} ${{b}} && echo ${{ a }}',
      'cp ${BATON_EXPR_0} ${BATON_EXPR_1} && echo ${BATON_EXPR_0}',
      [{ name: 'BATON_EXPR_0', source: 'a' }, { name: 'BATON_EXPR_1', source: 'b' }],
    ],
    ['x=${{ n }}suffix', 'x=${BATON_EXPR_0}suffix', [{ name: 'BATON_EXPR_0', source: 'n' }]],
  ])('%j', (script, text, refs) => {
    expect(prepareScript(script)).toEqual({ text, refs });
  });

  it('caches by script text', () => {
    expect(prepareScript('echo ${{ a }}')).toBe(prepareScript('echo ${{ a }}'));
  });

  it('throws an ExpressionError for an unclosed ${{', () => {
    expect(() => prepareScript('echo ${{ a')).toThrow(ExpressionError);
  });

  it('renders the env: values as text', async () => {
    const prepared = prepareScript('echo ${{ inputs.n }} ${{ inputs.list }} ${{ inputs.none }}');
    expect(await scriptEnv(prepared, context({ n: 3, list: [1, 'a'] }))).toEqual({
      BATON_EXPR_0: '3',
      BATON_EXPR_1: '[1,"a"]',
      BATON_EXPR_2: '',
    });
  });
});

describe('script values never become shell code', () => {
  let dir: string;
  let marker: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-expr-'));
    marker = path.join(dir, 'pwned');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function hostileValues(): string[] {
    return [
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `'; touch ${marker}; '`,
      `"; touch ${marker}; "`,
      `; touch ${marker}`,
      `a\ntouch ${marker}\nb`,
      `\${IFS}$(touch ${marker})`,
      '"',
      "'",
      '\\',
      'plain',
    ];
  }

  async function runBash(script: string, value: string): Promise<{ stdout: string; status: number | null }> {
    const prepared = prepareScript(script);
    const env = await scriptEnv(prepared, context({ v: value }));
    const result = spawnSync('bash', ['-c', prepared.text], {
      cwd: dir,
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
    });
    return { stdout: result.stdout, status: result.status };
  }

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('quoted: prints hostile value #%i exactly', async (n) => {
    const value = hostileValues()[n] as string;
    const { stdout, status } = await runBash(`printf '%s\\n' "\${{ inputs.v }}"`, value);
    expect(status).toBe(0);
    expect(stdout).toBe(`${value}\n`);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('unquoted: hostile value #%i is split like a variable, never run', async (n) => {
    const value = hostileValues()[n] as string;
    const { stdout, status } = await runBash('echo ${{ inputs.v }}', value);
    expect(status).toBe(0);
    // Unquoted, the shell splits the value into words (as for any variable) but never executes it.
    expect(stdout).toBe(`${value.split(/[ \n]+/).filter(Boolean).join(' ')}\n`);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('the marker check can fail: a pasted value would run', () => {
    const pasted = `echo ${hostileValues()[0]}`;
    spawnSync('bash', ['-c', pasted], { cwd: dir });
    expect(fs.existsSync(marker)).toBe(true);
  });
});

describe('singleQuotedExpressions', () => {
  const at = (script: string, needle: string) => script.indexOf(needle);

  it.each([
    ['echo "${{ a }}"', []],
    ['echo ${{ a }}', []],
    ["echo '${{ a }}'", ["'${{ a }}'"]],
    ["echo 'x' ${{ a }} 'y'", []],
    ["echo $'\\'${{ a }}'", ["$'\\'${{ a }}'"]],
    ["echo \"it's ${{ a }}\"", []],
    ["echo it\\'s ${{ a }}", []],
    ["# it's a comment\necho ${{ a }}", []],
    ["echo x#'${{ a }}'", ["x#'${{ a }}'"]],
    ["echo \"$(printf '%s' '${{ a }}')\"", ["'${{ a }}'"]],
    ["cat <<'EOF'\n${{ a }}\nEOF\necho ${{ b }}", ["\n${{ a }}"]],
    ['cat <<EOF\nit\'s ${{ a }}\nEOF\necho "${{ b }}"', []],
    ["cat <<-\"END\"\n\t${{ a }}\n\tEND\necho '${{ b }}'", ["\t${{ a }}", "'${{ b }}'"]],
    ["cat <<< '${{ a }}'", ["'${{ a }}'"]],
    ["echo '${{ \"it's\" }}' ${{ b }}", ["'${{ \"it's\" }}'"]],
  ])('%j', (script, containing) => {
    const expected = containing.map((needle) => {
      const offset = at(script, needle) + needle.indexOf('${{');
      return { offset, length: script.indexOf('}}', offset) + 2 - offset };
    });
    expect(singleQuotedExpressions(script)).toEqual(expected);
  });
});
