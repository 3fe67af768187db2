// The shell context scanner: which `${{ }}` land where bash evaluates a value as arithmetic or as a variable name,
// checked against real bash (a hostile value must run code exactly where the scanner says it can).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExpressionError, prepareScript, scriptEnv, scriptExpressions, type EvalContext, type ShellContext } from '../../src/expr/index.js';
import { tempDir } from '../helpers/cli.js';

// [script, the context of each `${{ }}` in order]
const CASES: [string, ShellContext[]][] = [
  ['echo ${{ x }}', ['plain']],
  ['echo "${{ x }}"', ['plain']],
  ["echo '${{ x }}'", ['inert']],
  ['echo $(( ${{ x }} + 1 ))', ['arithmetic']],
  ['echo "$(( "${{ x }}" + 1 ))"', ['arithmetic']],
  ['echo $(( $(printf %s "${{ x }}" | wc -c) + 1 ))', ['plain']],
  ['echo $[ ${{ x }} + 1 ]', ['arithmetic']],
  ['(( ${{ x }} > 0 )) || true', ['arithmetic']],
  ['for (( i = 0; i < ${{ x }}; i++ )); do :; done', ['arithmetic']],
  ['if [[ ${{ x }} -eq 1 ]]; then :; fi', ['arithmetic']],
  ['[[ 1 -lt "${{ x }}" ]] || true', ['arithmetic']],
  ['[[ "${{ x }}" == 1 ]] || true', ['plain']],
  ['[[ -n "${{ x }}" && ${{ y }} -ge 2 ]] || true', ['plain', 'arithmetic']],
  ['[[ -v ${{ x }} ]] || true', ['name']],
  ['[ "${{ x }}" -eq 1 ] 2>/dev/null || true', ['plain']],
  ['test "${{ x }}" -gt 1 2>/dev/null || true', ['plain']],
  ['let "y = ${{ x }} + 1" || true', ['arithmetic']],
  ['declare -i n="${{ x }}"', ['arithmetic']],
  ['local_fn() { local -i n=${{ x }}; }; local_fn', ['arithmetic']],
  ['declare s="${{ x }}"; echo "$s"', ['plain']],
  ['if true; then let "y = ${{ x }}" || true; fi', ['arithmetic']],
  ['declare "${{ x }}=1" 2>/dev/null || true', ['name']],
  ['printf -v "${{ x }}" %s 1 2>/dev/null || true', ['name']],
  ['printf "%s\\n" "${{ x }}"', ['plain']],
  ['a=(1 2); echo "${a[${{ x }}]}"', ['arithmetic']],
  ['a=(1 2); echo ${#a[${{ x }}]}', ['arithmetic']],
  ['a=(1 2); a[${{ x }}]=3', ['arithmetic']],
  ['a=( [${{ x }}]=3 )', ['arithmetic']],
  ['a=( "${{ x }}" 2 )', ['plain']],
  ['declare -A m; m[${{ x }}]=1; echo "${m[${{ x }}]}"', ['plain', 'plain']],
  ['s=abc; echo "${s:${{ x }}}"', ['arithmetic']],
  ['s=abc; echo "${s:0:${{ x }}}"', ['arithmetic']],
  ['s=abc; echo "${s:-${{ x }}}"', ['plain']],
  ['s=abc; echo "${s/b/${{ x }}}"', ['plain']],
  ['set -- a b; echo "${@:${{ x }}}"', ['arithmetic']],
  ['cat <<EOF\n$(( ${{ x }} + 1 )) ${{ y }}\nEOF', ['arithmetic', 'plain']],
  ["cat <<'EOF'\n$(( ${{ x }} + 1 ))\nEOF", ['inert']],
  ['echo ${{ x }} # $(( ${{ y }} ))', ['plain', 'plain']],
  ['f=file[1]; echo ${{ x }}[1]', ['plain']],
  ['echo $(( 1 << 2 )) ${{ x }}', ['plain']],
  ['x=${{ x }}; [[ $x =~ ^-?[0-9]+$ ]] && echo $(( x + 1 ))', ['plain']],
];

describe('scriptExpressions', () => {
  it.each(CASES)('%j', (script, contexts) => {
    expect(scriptExpressions(script).map((site) => site.context)).toEqual(contexts);
  });

  it('gives offsets, sources and the construct', () => {
    const script = 'echo $(( ${{ inputs.n }} + 1 ))';
    expect(scriptExpressions(script)).toEqual([
      { offset: 9, length: 15, source: 'inputs.n', context: 'arithmetic', construct: '$(( ))' },
    ]);
  });
});

describe('the contexts are the ones where bash runs a hostile value', () => {
  const dir = tempDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const marker = path.join(dir, 'pwned');
  const hostile = `a[$(touch ${marker})]`;

  it.each(CASES)('%j', (script, contexts) => {
    fs.rmSync(marker, { force: true });
    const prepared = prepareScript(script);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
    for (const ref of prepared.refs) env[ref.name] = hostile;
    spawnSync('bash', ['-c', prepared.text], { cwd: dir, env, stdio: 'ignore' });
    const dangerous = contexts.some((c) => c === 'arithmetic' || c === 'name');
    expect(fs.existsSync(marker)).toBe(dangerous);
  });
});

describe('scriptEnv checks a value read as arithmetic or as a name before the script runs', () => {
  const ctx = (x: unknown): EvalContext => ({
    inputs: { x }, env: {}, vars: {}, tasks: {},
    run: { id: 'r', name: 'n', dir: '/d', invocation_dir: '/w', started_at: '', status: 'running', error: null },
  });

  it.each([[42], ['-7'], ['1.5'], [null]])('passes the number %j', async (value) => {
    const env = await scriptEnv(prepareScript('echo $(( ${{ inputs.x }} + 1 )) ${{ inputs.x }}'), ctx(value));
    expect(env.BATON_EXPR_0).toBe(value === null ? '' : String(value));
  });

  it('refuses anything else, naming the expression, the construct and the value', async () => {
    const run = scriptEnv(prepareScript('echo ${{ inputs.x }} $(( ${{ inputs.x }} + 1 ))'), ctx('a[$(id)]'));
    await expect(run).rejects.toThrow(ExpressionError);
    await expect(run).rejects.toThrow('`${{ inputs.x }}` is read as shell arithmetic ($(( ))), so its value must be a plain number, got "a[$(id)]"');
  });

  it('a variable name must be a plain name', async () => {
    const script = prepareScript('printf -v ${{ inputs.x }} %s 1');
    expect(await scriptEnv(script, ctx('good_name'))).toEqual({ BATON_EXPR_0: 'good_name' });
    await expect(scriptEnv(script, ctx('a[$(id)]'))).rejects.toThrow(/read as a variable name \(printf -v\)/);
  });
});
