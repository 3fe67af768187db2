// Regular expressions in expressions, bounded: V8's linear-time fallback where it applies, else each match runs
// under a watchdog, since one native match cannot be interrupted from JavaScript.
import v8 from 'node:v8';
import vm from 'node:vm';
import { formatLimit, LimitExceeded } from './guard.js';

/** The longest one match of a regex that V8 cannot run in linear time may take. */
const REGEX_MATCH_LIMIT_MS = 1_000;

// On excessive backtracking V8 reruns a match on its linear-time engine; `l` lets us ask which patterns it takes.
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
v8.setFlagsFromString('--enable-experimental-regexp-engine');

type Sandbox = { re: RegExp | null; str: string };
// Made on first use: a vm context costs milliseconds, and most runs never need one.
let watcher: { sandbox: Sandbox; script: vm.Script } | undefined;
const linearCache = new Map<string, boolean>();
let fallbackWorks: boolean | undefined;

/** One match under vm's watchdog, which can stop a running regex; throws LimitExceeded past the limit. */
function watchedExec(re: RegExp, str: string, limitMs: number): RegExpExecArray | null {
  watcher ??= { sandbox: vm.createContext({ re: null, str: '' }) as Sandbox, script: new vm.Script('re.exec(str)') };
  const { sandbox, script } = watcher;
  sandbox.re = re;
  sandbox.str = str;
  try {
    return script.runInContext(sandbox, { timeout: limitMs }) as RegExpExecArray | null;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
    throw new LimitExceeded(
      `the regular expression /${re.source}/${re.flags.replace('g', '')} ran longer than ${formatLimit(limitMs)} on one match of a ${str.length}-character string (catastrophic backtracking?)`,
    );
  } finally {
    sandbox.re = null;
    sandbox.str = '';
  }
}

/** Whether this V8 really falls back (checked once): 2^20 backtracks take tens of ms without, about 1 ms with. */
function fallbackAvailable(): boolean {
  if (fallbackWorks === undefined) {
    const start = Date.now();
    /^(a+)+$/.exec(`${'a'.repeat(20)}!`);
    // A slow machine may misjudge this only towards safety: every regex then runs under the watchdog.
    fallbackWorks = Date.now() - start < 20;
  }
  return fallbackWorks;
}

/** True when V8's linear-time engine takes over this pattern should it backtrack too much (no backreferences, lookaround, `i`). */
function runsLinear(re: RegExp): boolean {
  const key = `${re.flags}/${re.source}`;
  let linear = linearCache.get(key);
  if (linear === undefined) {
    try {
      new RegExp(re.source, `${re.flags}l`);
      linear = fallbackAvailable();
    } catch {
      linear = false;
    }
    linearCache.set(key, linear);
  }
  return linear;
}

/** JSONata's RegexEngine: the few members it uses (`exec`, `lastIndex`), each match bounded. */
export class BoundedRegExp {
  lastIndex = 0;
  private readonly re: RegExp;
  private readonly linear: boolean;

  constructor(pattern: RegExp) {
    this.re = new RegExp(pattern.source, pattern.flags);
    this.linear = runsLinear(pattern);
  }

  exec(str: string): RegExpExecArray | null {
    this.re.lastIndex = this.lastIndex;
    const match = this.linear ? this.re.exec(str) : watchedExec(this.re, str, REGEX_MATCH_LIMIT_MS);
    this.lastIndex = this.re.lastIndex;
    return match;
  }
}
