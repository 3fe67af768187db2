// Checking an expression's source for `validate`: JSONata syntax errors, habits from other languages, and pitfalls.
import { failureOffset, parseExpression } from './compile.js';
import { nameStart, walkAst } from './references.js';

export interface ExpressionProblem {
  severity: 'error' | 'warning';
  message: string;
  /** Offset within the expression source. */
  offset: number;
  length: number;
}

/** Operators from C-like languages and their JSONata spelling; `!==` first so it is not read as `!=` + `=`. */
const FOREIGN_OPERATORS: [string, string][] = [
  ['!==', '!='],
  ['===', '='],
  ['==', '='],
  ['&&', 'and'],
  ['||', 'or'],
];

/** Occurrences of foreign operators outside strings, quoted names and comments. */
function foreignOperators(source: string): { op: string; suggestion: string; offset: number }[] {
  const found: { op: string; suggestion: string; offset: number }[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '"' || c === "'") {
      i++;
      while (i < source.length && source[i] !== c) i += source[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '`') {
      const end = source.indexOf('`', i + 1);
      i = end < 0 ? source.length : end + 1;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
      continue;
    }
    const match = FOREIGN_OPERATORS.find(([op]) => source.startsWith(op, i));
    if (match) {
      found.push({ op: match[0], suggestion: match[1], offset: i });
      i += match[0].length;
      continue;
    }
    i++;
  }
  return found;
}

/** `tasks.my-id.output` parses as `tasks.my - id.output`: warn when a `-` sits tight between `tasks.<x>` and a name. */
function hyphenatedIdWarnings(source: string, ast: Parameters<typeof walkAst>[0]): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  walkAst(ast, (node) => {
    if (node.type !== 'binary' || node.value !== '-') return;
    const lhs = node.lhs as typeof ast | undefined;
    const rhs = node.rhs;
    const lhsSteps = lhs?.type === 'path' ? lhs.steps ?? [] : [];
    const rhsFirst = rhs?.type === 'path' ? rhs.steps?.[0] : rhs?.type === 'name' ? rhs : undefined;
    const [tasksStep, idStep] = lhsSteps;
    if (lhsSteps.length !== 2 || tasksStep?.value !== 'tasks' || idStep?.type !== 'name') return;
    if (!rhsFirst || rhsFirst.type !== 'name') return;
    const minus = (node.position ?? 0) - 1;
    if (source[minus] !== '-' || minus !== idStep.position || nameStart(rhsFirst, source) !== minus + 1) return;
    const start = nameStart(idStep, source);
    const id = source.slice(start, rhsFirst.position ?? minus + 1);
    problems.push({
      severity: 'warning',
      message: `\`tasks.${id}\` reads as \`tasks.${String(idStep.value)} - ${String(rhsFirst.value)}\`; quote the id: tasks.\`${id}\``,
      offset: start,
      length: id.length,
    });
  });
  return problems;
}

/** Problems in an expression's source: syntax errors (with hints for `==`, `&&`, `||`) and lint warnings. */
export function checkExpression(source: string): ExpressionProblem[] {
  if (source.trim() === '') return [{ severity: 'error', message: 'empty expression', offset: 0, length: 0 }];
  const parsed = parseExpression(source);
  if ('ast' in parsed) return hyphenatedIdWarnings(source, parsed.ast);

  const at = failureOffset(parsed.error, source);
  const problems: ExpressionProblem[] = foreignOperators(source).map(({ op, suggestion, offset }) => ({
    severity: 'error' as const,
    message: `\`${op}\` is not an expression operator: did you mean \`${suggestion}\`?`,
    offset,
    length: op.length,
  }));
  // The parser's own message is kept unless it is just tripping over one of the operators flagged above.
  const explained = problems.some((p) => at.offset >= p.offset && at.offset <= p.offset + p.length);
  if (!explained) {
    problems.push({ severity: 'error', message: parsed.error.message ?? 'syntax error', offset: at.offset, length: at.length });
  }
  return problems.sort((a, b) => a.offset - b.offset);
}
