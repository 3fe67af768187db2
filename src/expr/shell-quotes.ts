// A small POSIX shell quote scanner: finds `${{ }}` where the shell expands nothing (single quotes, quoted heredocs).
import { splitTemplate, type TemplatePart } from './template.js';

type Frame =
  | { kind: 'code'; parens: number; substitution: boolean } // unquoted shell code; `$( )` bodies are code too
  | { kind: 'double' }
  | { kind: 'single' } // '...' and $'...'
  | { kind: 'ansi' }
  | { kind: 'comment' }
  | { kind: 'heredoc'; delimiter: string; literal: boolean; stripTabs: boolean; line: string };

type PendingHeredoc = { delimiter: string; literal: boolean; stripTabs: boolean };

const EXPR = '\u0000'; // stands for one `${{ }}` in the flattened script
const WORD_BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

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

/** Offsets (in the script) of `${{ }}` inside single quotes or a quoted-delimiter heredoc, where nothing expands. */
export function singleQuotedExpressions(script: string): { offset: number; length: number }[] {
  const { parts } = splitTemplate(script);
  const exprs = parts.filter((p): p is Extract<TemplatePart, { kind: 'expr' }> => p.kind === 'expr');
  if (exprs.length === 0) return [];
  const flat = parts.map((p) => (p.kind === 'text' ? p.text.replaceAll(EXPR, ' ') : EXPR)).join('');

  const found: { offset: number; length: number }[] = [];
  const stack: Frame[] = [{ kind: 'code', parens: 0, substitution: false }];
  const pending: PendingHeredoc[] = [];
  let exprIndex = 0;

  for (let i = 0; i < flat.length; i++) {
    const c = flat[i] as string;
    const frame = stack[stack.length - 1] as Frame;
    if (c === EXPR) {
      const expr = exprs[exprIndex++] as Extract<TemplatePart, { kind: 'expr' }>;
      const inert = frame.kind === 'single' || frame.kind === 'ansi' || (frame.kind === 'heredoc' && frame.literal);
      if (inert) found.push({ offset: expr.start, length: expr.end - expr.start });
      if (frame.kind === 'heredoc') frame.line += c;
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
      case 'double':
        if (c === '\\') i++;
        else if (c === '"') stack.pop();
        else if (c === '$' && flat[i + 1] === '(') {
          stack.push({ kind: 'code', parens: 0, substitution: true });
          i++;
        }
        break;
      case 'heredoc': {
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
      case 'code': {
        const prev = i === 0 ? '\n' : (flat[i - 1] as string);
        if (c === '\\') i++;
        else if (c === "'") stack.push({ kind: 'single' });
        else if (c === '$' && flat[i + 1] === "'") {
          stack.push({ kind: 'ansi' });
          i++;
        } else if (c === '"') stack.push({ kind: 'double' });
        else if (c === '#' && WORD_BREAK.has(prev)) stack.push({ kind: 'comment' });
        else if (c === '$' && flat[i + 1] === '(') {
          stack.push({ kind: 'code', parens: 0, substitution: true });
          i++;
        } else if (c === '(') frame.parens++;
        else if (c === ')') {
          if (frame.parens > 0) frame.parens--;
          else if (frame.substitution) stack.pop();
        } else if (c === '<' && flat[i + 1] === '<' && flat[i + 2] !== '<' && prev !== '<' && frame.parens === 0) {
          // `<<<` is a here-string and `$(( 1 << 2 ))` a shift: neither starts a heredoc.
          const stripTabs = flat[i + 2] === '-';
          const word = readHeredocWord(flat, i + (stripTabs ? 3 : 2));
          if (word.word) pending.push({ delimiter: word.word, literal: word.literal, stripTabs });
          i = word.end - 1;
        } else if (c === '\n' && pending.length > 0) {
          const next = pending.shift() as PendingHeredoc;
          stack.push({ kind: 'heredoc', ...next, line: '' });
        }
        break;
      }
    }
  }
  return found;
}
