// A small shell scanner: for each `${{ }}` of a `run:` script, the context the shell reads its value in.
import { splitTemplate, type TemplatePart } from './template.js';

/**
 * `plain`: an ordinary expansion (the value is data); `inert`: nothing expands (single quotes, quoted heredocs);
 * `arithmetic`: bash evaluates the value as an arithmetic expression, where `a[$(cmd)]` runs cmd;
 * `name`: the value is taken as a variable name, whose subscript is evaluated the same way.
 */
export type ShellContext = 'plain' | 'inert' | 'arithmetic' | 'name';

export interface ScriptExpression {
  offset: number;
  length: number;
  source: string;
  context: ShellContext;
  /** The construct that makes the context, e.g. `$(( ))`, `[[ -eq ]]`, `let`, an array subscript. */
  construct: string;
}

type Code = { kind: 'code'; parens: number; substitution: boolean; word: string; words: string[]; sites: ScriptExpression[] };
type Arith = { kind: 'arith'; close: ')' | ']' | '}'; depth: number; construct: string; context: ShellContext };
type Cond = { kind: 'cond'; word: string; sites: ScriptExpression[]; prevWord: string; prevSites: ScriptExpression[] };
type Heredoc = { kind: 'heredoc'; delimiter: string; literal: boolean; stripTabs: boolean; line: string };
type Param = { kind: 'param'; state: 'start' | 'name' | 'word' };
type Frame = Code | Arith | Cond | Heredoc | Param | { kind: 'double' } | { kind: 'single' } | { kind: 'ansi' } | { kind: 'comment' };
type PendingHeredoc = { delimiter: string; literal: boolean; stripTabs: boolean };

const EXPR = '\u0000'; // stands for one `${{ }}` in the flattened script
const WORD_BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const COMMAND_END = new Set([';', '\n', '&', '|', '(', ')']);
const ARITH_TESTS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
const DECLARERS = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);
/** Words that may come before a command's name. */
const PREFIXES = new Set(['{', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', 'time', 'command', 'builtin']);
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_PARAM = /[@*#?$!\-0-9]/;

function code(substitution: boolean): Code {
  return { kind: 'code', parens: 0, substitution, word: '', words: [], sites: [] };
}

/** Reads a heredoc delimiter word after `<<` / `<<-`; quoting any part of it makes the body literal. */
function readHeredocWord(text: string, from: number): { word: string; literal: boolean; end: number } {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  let word = '';
  let literal = false;
  while (i < text.length && !WORD_BREAK.has(text[i] as string)) {
    const c = text[i] as string;
    if (c === "'" || c === '"') {
      literal = true;
      const end = text.indexOf(c, i + 1);
      const close = end < 0 ? text.length : end;
      word += text.slice(i + 1, close);
      i = close + 1;
    } else if (c === '\\') {
      literal = true;
      word += text[i + 1] ?? '';
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  return { word, literal, end: i };
}

/** Names declared associative (`declare -A m`): their subscripts are strings, not arithmetic. */
function associativeNames(script: string): Set<string> {
  const names = new Set<string>();
  for (const m of script.matchAll(/\b(?:declare|typeset|local)((?:\s+-[A-Za-z]+)+)\s+([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if ((m[1] as string).includes('A')) names.add(m[2] as string);
  }
  return names;
}

/** Index of the `]` closing the `[` at `open`, if an `=` or `+=` follows it (an array element assignment). */
function subscriptAssignment(flat: string, open: number): boolean {
  let depth = 0;
  for (let j = open; j < flat.length && flat[j] !== '\n'; j++) {
    if (flat[j] === '[') depth++;
    else if (flat[j] === ']' && --depth === 0) return flat[j + 1] === '=' || (flat[j + 1] === '+' && flat[j + 2] === '=');
  }
  return false;
}

/** Each `${{ }}` of `script` with the shell context its value is read in (bash rules; sh, zsh, ksh read alike). */
export function scriptExpressions(script: string): ScriptExpression[] {
  const { parts } = splitTemplate(script);
  const exprs = parts.filter((p): p is Extract<TemplatePart, { kind: 'expr' }> => p.kind === 'expr');
  if (exprs.length === 0) return [];
  const flat = parts.map((p) => (p.kind === 'text' ? p.text.replaceAll(EXPR, ' ') : EXPR)).join('');
  const assoc = associativeNames(flat);

  const found: ScriptExpression[] = [];
  const stack: Frame[] = [code(false)];
  const pending: PendingHeredoc[] = [];
  let exprIndex = 0;

  const mark = (sites: ScriptExpression[], context: ShellContext, construct: string) => {
    for (const site of sites) if (site.context === 'plain') Object.assign(site, { context, construct });
  };
  /** A word of a simple command is complete: `let`, `declare -i`, `printf -v`, `test -v` give its `${{ }}` a context. */
  const endWord = (frame: Code) => {
    if (frame.word === '' && frame.sites.length === 0) return;
    const words = frame.words;
    if (words.length === 0 && PREFIXES.has(frame.word)) {
      frame.word = '';
      return;
    }
    const command = words[0];
    const prev = words[words.length - 1];
    if (command === 'let') mark(frame.sites, 'arithmetic', 'let');
    else if (command !== undefined && DECLARERS.has(command) && !frame.word.startsWith('-')) {
      const integer = words.some((w) => /^-[A-Za-z]*i/.test(w));
      for (const site of frame.sites) {
        const inValue = (site as ScriptExpression & { afterEquals?: boolean }).afterEquals;
        if (inValue && integer) mark([site], 'arithmetic', `${command} -i`);
        else if (!inValue) mark([site], 'name', `${command} <name>`);
      }
    } else if (prev === '-v' && (command === 'printf' || command === 'test' || command === '[')) {
      mark(frame.sites, 'name', `${command} -v`);
    }
    words.push(frame.word);
    frame.word = '';
    frame.sites = [];
  };
  const endCommand = (frame: Code) => {
    endWord(frame);
    frame.words = [];
  };
  const endCondWord = (frame: Cond) => {
    if (frame.word === '' && frame.sites.length === 0) return;
    if (ARITH_TESTS.has(frame.word)) mark(frame.prevSites, 'arithmetic', `[[ ${frame.word} ]]`);
    else if (ARITH_TESTS.has(frame.prevWord)) mark(frame.sites, 'arithmetic', `[[ ${frame.prevWord} ]]`);
    else if (frame.prevWord === '-v') mark(frame.sites, 'name', '[[ -v ]]');
    frame.prevWord = frame.word;
    frame.prevSites = frame.sites;
    frame.word = '';
    frame.sites = [];
  };
  /** `$((`, `$[`, `$(`, `${` at `i`: push their frame and return how many characters they took (0: none). */
  const dollar = (i: number): number => {
    if (flat[i] !== '$') return 0;
    const next = flat[i + 1];
    if (next === '(' && flat[i + 2] === '(') {
      stack.push({ kind: 'arith', close: ')', depth: 0, construct: '$(( ))', context: 'arithmetic' });
      return 3;
    }
    if (next === '(') stack.push(code(true));
    else if (next === '[') stack.push({ kind: 'arith', close: ']', depth: 0, construct: '$[ ]', context: 'arithmetic' });
    else if (next === '{') stack.push({ kind: 'param', state: 'start' });
    else return 0;
    return 2;
  };
  /** Where a `${{ }}` met at the top of the stack lands. */
  const place = (site: ScriptExpression) => {
    for (let k = stack.length - 1; k >= 0; k--) {
      const frame = stack[k] as Frame;
      if (frame.kind === 'single' || frame.kind === 'ansi' || (frame.kind === 'heredoc' && frame.literal)) {
        site.context = 'inert';
        return;
      }
      if (frame.kind === 'arith') {
        mark([site], frame.context, frame.construct);
        return;
      }
      if (frame.kind === 'cond' || frame.kind === 'code') {
        if (frame.kind === 'code') (site as ScriptExpression & { afterEquals?: boolean }).afterEquals = frame.word.includes('=');
        frame.sites.push(site);
        return;
      }
    }
  };

  for (let i = 0; i < flat.length; i++) {
    const c = flat[i] as string;
    const frame = stack[stack.length - 1] as Frame;
    if (c === EXPR) {
      const expr = exprs[exprIndex++] as Extract<TemplatePart, { kind: 'expr' }>;
      const site: ScriptExpression = { offset: expr.start, length: expr.end - expr.start, source: expr.source, context: 'plain', construct: '' };
      found.push(site);
      place(site);
      if (frame.kind === 'heredoc') frame.line += c;
      else if (frame.kind === 'code' || frame.kind === 'cond') frame.word += c;
      continue;
    }
    switch (frame.kind) {
      case 'single':
        if (c === "'") stack.pop();
        break;
      case 'ansi':
        if (c === '\\') i++;
        else if (c === "'") stack.pop();
        break;
      case 'comment':
        if (c === '\n') {
          stack.pop();
          i--; // let the code frame see the newline (it may start a heredoc body)
        }
        break;
      case 'double': {
        const took = dollar(i);
        if (took > 0) i += took - 1;
        else if (c === '\\') i++;
        else if (c === '"') stack.pop();
        break;
      }
      case 'heredoc': {
        if (!frame.literal) {
          const took = dollar(i);
          if (took > 0) {
            frame.line += flat.slice(i, i + took);
            i += took - 1;
            break;
          }
        }
        if (c !== '\n') {
          frame.line += c;
          break;
        }
        const line = frame.stripTabs ? frame.line.replace(/^\t+/, '') : frame.line;
        frame.line = '';
        if (line === frame.delimiter) {
          stack.pop();
          const next = pending.shift();
          if (next) stack.push({ kind: 'heredoc', ...next, line: '' });
        }
        break;
      }
      case 'arith': {
        const took = dollar(i);
        if (took > 0) i += took - 1;
        else if (c === '"') stack.push({ kind: 'double' });
        else if (c === '\\') i++;
        else if (frame.close === ')' && c === '(') frame.depth++;
        else if (frame.close !== ')' && c === '[') frame.depth++;
        else if (frame.close === ')' && c === ')') {
          if (frame.depth > 0) frame.depth--;
          else {
            stack.pop();
            if (flat[i + 1] === ')') i++;
          }
        } else if (c === ']' && frame.close !== ')') {
          if (frame.depth > 0) frame.depth--;
          else if (frame.close === ']') stack.pop();
        } else if (c === '}' && frame.close === '}' && frame.depth === 0) {
          stack.pop();
          i--; // the parameter expansion ends here too
        }
        break;
      }
      case 'param': {
        if (frame.state === 'word') {
          const took = dollar(i);
          if (took > 0) i += took - 1;
          else if (c === '\\') i++;
          else if (c === '"') stack.push({ kind: 'double' });
          else if (c === "'") stack.push({ kind: 'single' });
          else if (c === '}') stack.pop();
          break;
        }
        if (frame.state === 'start' && (c === '#' || c === '!') && flat[i + 1] !== '}') break;
        if (NAME_CHAR.test(c) || (frame.state === 'start' && SPECIAL_PARAM.test(c))) {
          frame.state = 'name';
          break;
        }
        if (c === '}') stack.pop();
        else if (c === '[') {
          const name = /([A-Za-z_][A-Za-z0-9_]*)$/.exec(flat.slice(0, i))?.[1] ?? '';
          const context = assoc.has(name) ? 'plain' : 'arithmetic';
          frame.state = 'name'; // after `]` come the operators, as after a name
          stack.push({ kind: 'arith', close: ']', depth: 0, construct: 'an array subscript `${a[ ]}`', context });
        } else if (c === ':' && !'-=?+'.includes(flat[i + 1] ?? '')) {
          frame.state = 'word';
          stack.push({ kind: 'arith', close: '}', depth: 0, construct: 'a substring offset `${s:offset:length}`', context: 'arithmetic' });
        } else {
          frame.state = 'word';
          i--;
        }
        break;
      }
      case 'cond': {
        const took = dollar(i);
        if (took > 0) {
          frame.word += c;
          i += took - 1;
        } else if (c === ' ' || c === '\t' || c === '\n') endCondWord(frame);
        else if (c === ']' && flat[i + 1] === ']' && frame.word === '') {
          endCondWord(frame);
          stack.pop();
          i++;
        } else if (c === '(' || c === ')' || c === '!' || c === '&' || c === '|') endCondWord(frame);
        else if (c === '\\') {
          frame.word += flat.slice(i, i + 2);
          i++;
        } else if (c === '"') {
          frame.word += c;
          stack.push({ kind: 'double' });
        } else if (c === "'") {
          frame.word += c;
          stack.push({ kind: 'single' });
        } else frame.word += c;
        break;
      }
      case 'code': {
        const prev = i === 0 ? '\n' : (flat[i - 1] as string);
        const wordStart = frame.word === '';
        const took = c === '$' && flat[i + 1] === "'" ? 0 : dollar(i);
        if (took > 0) {
          frame.word += c;
          i += took - 1;
        } else if (c === '\\') {
          frame.word += flat.slice(i, i + 2);
          i++;
        } else if (c === "'") {
          frame.word += c;
          stack.push({ kind: 'single' });
        } else if (c === '$' && flat[i + 1] === "'") {
          frame.word += c;
          stack.push({ kind: 'ansi' });
          i++;
        } else if (c === '"') {
          frame.word += c;
          stack.push({ kind: 'double' });
        } else if (c === '#' && WORD_BREAK.has(prev)) stack.push({ kind: 'comment' });
        else if (c === '(' && flat[i + 1] === '(') {
          endCommand(frame);
          stack.push({ kind: 'arith', close: ')', depth: 0, construct: '(( ))', context: 'arithmetic' });
          i++;
        } else if (c === '(' && frame.word.endsWith('=')) {
          stack.push(code(true)); // `a=( ... )`: a compound assignment, whose words may be `[i]=v`
          frame.word += c;
        } else if (c === '[' && flat[i + 1] === '[' && wordStart && /\s/.test(flat[i + 2] ?? '')) {
          stack.push({ kind: 'cond', word: '', sites: [], prevWord: '', prevSites: [] });
          i++;
        } else if (c === '[' && /^(?:[A-Za-z_][A-Za-z0-9_]*)?$/.test(frame.word) && subscriptAssignment(flat, i)) {
          const context = assoc.has(frame.word) ? 'plain' : 'arithmetic';
          frame.word += c;
          stack.push({ kind: 'arith', close: ']', depth: 0, construct: 'an array subscript `a[ ]=`', context });
        } else if (c === '<' && flat[i + 1] === '<' && flat[i + 2] !== '<' && prev !== '<') {
          // `<<<` is a here-string: it starts no heredoc.
          const stripTabs = flat[i + 2] === '-';
          const word = readHeredocWord(flat, i + (stripTabs ? 3 : 2));
          if (word.word) pending.push({ delimiter: word.word, literal: word.literal, stripTabs });
          i = word.end - 1;
        } else if (c === '\n' && pending.length > 0) {
          endCommand(frame);
          const next = pending.shift() as PendingHeredoc;
          stack.push({ kind: 'heredoc', ...next, line: '' });
        } else if (c === ' ' || c === '\t') endWord(frame);
        else if (COMMAND_END.has(c)) {
          endCommand(frame);
          if (c === '(') frame.parens++;
          else if (c === ')') {
            if (frame.parens > 0) frame.parens--;
            else if (frame.substitution) stack.pop();
          }
        } else frame.word += c;
        break;
      }
    }
  }
  for (const frame of stack) if (frame.kind === 'code') endCommand(frame);
  for (const site of found) delete (site as ScriptExpression & { afterEquals?: boolean }).afterEquals;
  return found;
}

/** Offsets (in the script) of `${{ }}` inside single quotes or a quoted-delimiter heredoc, where nothing expands. */
export function singleQuotedExpressions(script: string): { offset: number; length: number }[] {
  return scriptExpressions(script)
    .filter((site) => site.context === 'inert')
    .map(({ offset, length }) => ({ offset, length }));
}
