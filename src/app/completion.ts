// `baton completion bash|zsh|fish`: a shell completion script for the commands and flags the CLI registers; run ids come from `baton runs --json`.
import { EXIT, type CommandIO } from './io.js';

export type Shell = 'bash' | 'zsh' | 'fish';
export const SHELLS: Shell[] = ['bash', 'zsh', 'fish'];

export interface CompletionOption {
  long?: string;
  short?: string;
  description: string;
  /** Takes a value: `dir` and `file` complete paths, `choices` a fixed list, `other` nothing. */
  value: null | 'dir' | 'file' | 'other' | { choices: string[] };
}

export interface CompletionArg {
  /** run: run ids; blueprint: .yaml files; target: both; choices: a fixed list; other: nothing. */
  kind: 'run' | 'blueprint' | 'target' | 'other' | { choices: string[] };
  variadic: boolean;
}

export interface CompletionCommand {
  name: string;
  description: string;
  options: CompletionOption[];
  args: CompletionArg[];
  subcommands: CompletionCommand[];
}

export function printCompletion(io: CommandIO, shell: Shell, commands: CompletionCommand[]): number {
  const script = shell === 'bash' ? bashScript(commands) : shell === 'zsh' ? zshScript(commands) : fishScript(commands);
  io.stdout.write(script);
  return EXIT.ok;
}

const RUN_IDS = `baton runs --json 2>/dev/null | sed -n 's/^ *"id": *"\\([^"]*\\)".*/\\1/p'`;
const flagsOf = (o: CompletionOption): string[] => [o.long, o.short].filter((f): f is string => f !== undefined);
const singleQuoted = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

function bashArgWords(arg: CompletionArg | undefined): string {
  if (!arg) return 'COMPREPLY=()';
  const files = 'compgen -d -- "$cur"; compgen -f -- "$cur" | grep -E \'\\.ya?ml$\'';
  if (arg.kind === 'run') return 'COMPREPLY=($(compgen -W "last $(_baton_run_ids)" -- "$cur"))';
  if (arg.kind === 'blueprint') return `COMPREPLY=($(${files}))`;
  if (arg.kind === 'target') return `COMPREPLY=($(${files}; compgen -W "last $(_baton_run_ids)" -- "$cur"))`;
  if (arg.kind === 'other') return 'COMPREPLY=()';
  return `COMPREPLY=($(compgen -W ${singleQuoted(arg.kind.choices.join(' '))} -- "$cur"))`;
}

function bashScript(commands: CompletionCommand[]): string {
  const all = commands.flatMap((c) => [c, ...c.subcommands]);
  const valueCases = new Map<string, string>();
  for (const option of all.flatMap((c) => c.options)) {
    if (option.value === null) continue;
    const action =
      option.value === 'dir' ? 'COMPREPLY=($(compgen -d -- "$cur"))'
      : option.value === 'file' ? 'COMPREPLY=($(compgen -f -- "$cur"))'
      : option.value === 'other' ? 'COMPREPLY=()'
      : `COMPREPLY=($(compgen -W ${singleQuoted(option.value.choices.join(' '))} -- "$cur"))`;
    for (const flag of flagsOf(option)) valueCases.set(flag, action);
  }
  const commandCase = (c: CompletionCommand, depth: number): string[] => {
    const flags = [...c.options.flatMap(flagsOf), '--help'].join(' ');
    const subs = c.subcommands.map((s) => s.name);
    const lines: string[] = [];
    for (const sub of c.subcommands) {
      lines.push(`      if [[ \${words[${depth + 1}]} == ${sub.name} ]]; then`, ...commandCase(sub, depth + 1).map((l) => `  ${l}`), '      fi');
    }
    lines.push(`      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W ${singleQuoted(flags)} -- "$cur")); return; fi`);
    lines.push('      local n=$((${#words[@]} - ' + (depth + 1) + '))');
    if (subs.length > 0) lines.push(`      if (( n == 0 )); then COMPREPLY=($(compgen -W ${singleQuoted(subs.join(' '))} -- "$cur")); fi`, '      return');
    else {
      c.args.forEach((arg, i) => lines.push(`      if (( n ${arg.variadic ? '>=' : '=='} ${i} )); then ${bashArgWords(arg)}; return; fi`));
      lines.push('      return');
    }
    return lines;
  };
  return [
    '# bash completion for baton. Load it with:  source <(baton completion bash)',
    `_baton_run_ids() { ${RUN_IDS}; }`,
    '_baton() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" i skip=0',
    '  local -a words=()',
    '  # The words before the cursor that are not flags (nor flag values): the command path and its arguments.',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    local w="${COMP_WORDS[i]}"',
    '    if (( skip )); then skip=0; continue; fi',
    '    case "$w" in',
    `      ${[...valueCases.keys()].join('|') || '--never'}) skip=1 ;;`,
    '      -*) ;;',
    '      *) words+=("$w") ;;',
    '    esac',
    '  done',
    '  case "$prev" in',
    ...[...valueCases].map(([flag, action]) => `    ${flag}) ${action}; return ;;`),
    '  esac',
    '  if (( ${#words[@]} == 0 )); then',
    `    COMPREPLY=($(compgen -W ${singleQuoted([...commands.map((c) => c.name), 'help', '--help', '--version'].join(' '))} -- "$cur"))`,
    '    return',
    '  fi',
    '  case "${words[0]}" in',
    ...commands.flatMap((c) => [`    ${c.name})`, ...commandCase(c, 0), '      ;;']),
    '    help) COMPREPLY=($(compgen -W ' + singleQuoted(commands.map((c) => c.name).join(' ')) + ' -- "$cur")) ;;',
    '  esac',
    '}',
    'complete -o filenames -F _baton baton',
    '',
  ].join('\n');
}

/** zsh _arguments text: brackets, colons and quotes escaped. */
const zshText = (text: string): string => text.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1').replace(/'/g, `'\\''`);

function zshArgAction(arg: CompletionArg): string {
  if (arg.kind === 'run') return '_baton_run_ids';
  if (arg.kind === 'blueprint') return "_files -g '*.(yaml|yml)'";
  if (arg.kind === 'target') return "_alternative 'runs:run:_baton_run_ids' 'files:blueprint:_files -g \"*.(yaml|yml)\"'";
  if (arg.kind === 'other') return ' ';
  return `(${arg.kind.choices.join(' ')})`;
}

function zshFunction(c: CompletionCommand, name: string): string[] {
  const specs = c.options.map((o) => {
    const flags = flagsOf(o);
    const head = flags.length > 1 ? `(${flags.join(' ')})'{${flags.join(',')}}'` : flags[0];
    const value =
      o.value === null ? '' : o.value === 'dir' ? ':dir:_files -/' : o.value === 'file' ? ':file:_files' : o.value === 'other' ? ':value: ' : `:value:(${o.value.choices.join(' ')})`;
    return `'${head}[${zshText(o.description)}]${value}'`;
  });
  if (c.subcommands.length > 0) {
    const subs = c.subcommands.map((s) => `'${zshText(s.name)}:${zshText(s.description)}'`).join(' ');
    specs.push(`'1:command:((${subs}))'`, "'*::arg:->sub'");
  } else {
    c.args.forEach((arg, i) => specs.push(`'${arg.variadic ? '*' : String(i + 1)}:${zshText(arg.kind === 'run' ? 'run' : 'argument')}:${zshArgAction(arg).replace(/'/g, `'\\''`)}'`));
  }
  const lines = [`${name}() {`, '  local state', `  _arguments -s ${specs.join(' ')}`];
  if (c.subcommands.length > 0) {
    lines.push('  case $state in', '    sub)', '      case $words[1] in');
    for (const sub of c.subcommands) lines.push(`        ${sub.name}) ${name}_${sub.name} ;;`);
    lines.push('      esac ;;', '  esac');
  }
  lines.push('}');
  for (const sub of c.subcommands) lines.push(...zshFunction(sub, `${name}_${sub.name}`));
  return lines;
}

function zshScript(commands: CompletionCommand[]): string {
  const described = commands.map((c) => `'${zshText(c.name)}:${zshText(c.description)}'`).join(' ');
  return [
    '#compdef baton',
    '# zsh completion for baton. Load it with:  source <(baton completion zsh)  (after compinit)',
    `_baton_run_ids() { local -a ids; ids=(last \${(f)"$(${RUN_IDS})"}); compadd -a ids; }`,
    ...commands.flatMap((c) => zshFunction(c, `_baton_${c.name}`)),
    '_baton() {',
    '  local state',
    `  _arguments '(- *)'{-V,--version}'[print the version]' '(- *)'{-h,--help}'[show help]' '1:command:((${described} help\\:show\\ help\\ for\\ a\\ command))' '*::arg:->args'`,
    '  case $state in',
    '    args)',
    '      case $words[1] in',
    ...commands.map((c) => `        ${c.name}) _baton_${c.name} ;;`),
    `        help) _values command ${commands.map((c) => c.name).join(' ')} ;;`,
    '      esac ;;',
    '  esac',
    '}',
    'compdef _baton baton',
    '',
  ].join('\n');
}

function fishScript(commands: CompletionCommand[]): string {
  const names = commands.map((c) => c.name);
  const lines = [
    '# fish completion for baton. Load it with:  baton completion fish | source',
    `function __baton_run_ids; echo last; ${RUN_IDS}; end`,
    'complete -c baton -f',
    `complete -c baton -n "not __fish_seen_subcommand_from ${names.join(' ')} help" -a help -d 'show help for a command'`,
    `complete -c baton -n "__fish_seen_subcommand_from help" -a ${singleQuoted(names.join(' '))}`,
  ];
  const emit = (c: CompletionCommand, condition: string): void => {
    for (const o of c.options) {
      const flags = [o.long ? `-l ${o.long.slice(2)}` : '', o.short ? `-s ${o.short.slice(1)}` : ''].filter(Boolean).join(' ');
      const value =
        o.value === null ? '' : o.value === 'dir' ? " -r -a '(__fish_complete_directories)'" : o.value === 'file' ? ' -r -F' : o.value === 'other' ? ' -x' : ` -x -a ${singleQuoted(o.value.choices.join(' '))}`;
      lines.push(`complete -c baton -n ${singleQuoted(condition)} ${flags}${value} -d ${singleQuoted(o.description)}`);
    }
    const arg = c.args[0];
    if (c.subcommands.length > 0) {
      const subNames = c.subcommands.map((s) => s.name).join(' ');
      for (const sub of c.subcommands) {
        lines.push(`complete -c baton -n ${singleQuoted(`${condition}; and not __fish_seen_subcommand_from ${subNames}`)} -a ${sub.name} -d ${singleQuoted(sub.description)}`);
        emit(sub, `${condition}; and __fish_seen_subcommand_from ${sub.name}`);
      }
    } else if (arg) {
      const source =
        arg.kind === 'run' ? '(__baton_run_ids)'
        : arg.kind === 'blueprint' ? '(__fish_complete_suffix .yaml; __fish_complete_suffix .yml)'
        : arg.kind === 'target' ? '(__baton_run_ids; __fish_complete_suffix .yaml; __fish_complete_suffix .yml)'
        : arg.kind === 'other' ? ''
        : arg.kind.choices.join(' ');
      if (source) lines.push(`complete -c baton -n ${singleQuoted(condition)} -a ${singleQuoted(source)}`);
    }
  };
  for (const c of commands) {
    lines.push(`complete -c baton -n "not __fish_seen_subcommand_from ${names.join(' ')} help" -a ${c.name} -d ${singleQuoted(c.description)}`);
    emit(c, `__fish_seen_subcommand_from ${c.name}`);
  }
  return `${lines.join('\n')}\n`;
}
