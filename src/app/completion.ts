// `baton completion bash|zsh|fish`: a shell completion script for the commands and flags the CLI registers; run ids,
// task keys and waiting signals come from the hidden `baton __complete <kind> [run] [--state-dir DIR]`.
import { EXIT, type CommandIO } from './io.js';

export type Shell = 'bash' | 'zsh' | 'fish';

export interface CompletionOption {
  long?: string;
  short?: string;
  description: string;
  /** Takes a value: `dir` and `file` complete paths, `task` the task keys of the run given, `choices` a fixed list, `other` nothing. */
  value: null | 'dir' | 'file' | 'task' | 'other' | { choices: string[] };
}

export interface CompletionArg {
  /**
   * run: run ids; blueprint: .yaml files; target: both; task: the task keys of the run given before it;
   * waiting: the signal names and keys of the tasks that run waits in; choices: a fixed list; other: nothing.
   */
  kind: 'run' | 'blueprint' | 'target' | 'task' | 'waiting' | 'other' | { choices: string[] };
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

const flagsOf = (o: CompletionOption): string[] => [o.long, o.short].filter((f): f is string => f !== undefined);
const singleQuoted = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
/** The run a task or signal completes for: the first argument after the command. */
const RUN_WORD = '"${words[1]}"';

function bashArgWords(arg: CompletionArg | undefined): string {
  if (!arg || arg.kind === 'other') return 'COMPREPLY=()';
  if (arg.kind === 'run') return '_baton_add "$(_baton_words runs)"';
  if (arg.kind === 'blueprint') return '_baton_blueprints';
  if (arg.kind === 'target') return '_baton_blueprints; _baton_add "$(_baton_words runs)"';
  if (arg.kind === 'task') return `_baton_add "$(_baton_words tasks ${RUN_WORD})"`;
  if (arg.kind === 'waiting') return `_baton_add "$(_baton_words waiting ${RUN_WORD})"`;
  return `_baton_add ${singleQuoted(arg.kind.choices.join(' '))}`;
}

function bashValueWords(value: NonNullable<CompletionOption['value']>): string {
  if (value === 'dir') return 'COMPREPLY=($(compgen -d -- "$cur"))';
  if (value === 'file') return 'COMPREPLY=($(compgen -f -- "$cur"))';
  if (value === 'task') return `_baton_add "$(_baton_words tasks ${RUN_WORD})"`;
  if (value === 'other') return 'COMPREPLY=()';
  return `_baton_add ${singleQuoted(value.choices.join(' '))}`;
}

function bashScript(commands: CompletionCommand[]): string {
  const all = commands.flatMap((c) => [c, ...c.subcommands]);
  const valueCases = new Map<string, string>();
  for (const option of all.flatMap((c) => c.options)) {
    if (option.value === null) continue;
    for (const flag of flagsOf(option)) valueCases.set(flag, bashValueWords(option.value));
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
    '# The words only the state folder knows (honouring --state-dir on the line being completed).',
    '_baton_words() { baton __complete "$@" ${state_dir:+--state-dir "$state_dir"} 2>/dev/null; }',
    '# Adds the words of $1 that start with $cur, one by one (no globbing of keys such as resize[1].convert).',
    '_baton_add() { local w; while IFS= read -r w; do [[ -n $w ]] && COMPREPLY+=("$w"); done < <(compgen -W "$1" -- "$cur"); }',
    "_baton_blueprints() { local w; while IFS= read -r w; do COMPREPLY+=(\"$w\"); done < <(compgen -d -- \"$cur\"; compgen -f -- \"$cur\" | grep -E '\\.ya?ml$'); }",
    '_baton() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" i skip= state_dir=',
    '  local -a words=()',
    '  COMPREPLY=()',
    '  # `--flag=value` reaches us as three words: the flag, `=`, the value.',
    '  if [[ $cur == = ]]; then cur=; elif [[ $prev == = ]]; then prev="${COMP_WORDS[COMP_CWORD-2]}"; fi',
    '  # The words before the cursor that are not flags (nor flag values): the command path and its arguments.',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    local w="${COMP_WORDS[i]}"',
    '    [[ $w == = ]] && continue',
    '    if [[ -n $skip ]]; then [[ $skip == --state-dir ]] && state_dir="$w"; skip=; continue; fi',
    '    case "$w" in',
    '      --state-dir=*) state_dir="${w#*=}" ;;',
    `      ${[...valueCases.keys()].join('|') || '--never'}) skip="$w" ;;`,
    '      -*) ;;',
    '      *) words+=("$w") ;;',
    '    esac',
    '  done',
    '  state_dir="${state_dir/#\\~/$HOME}"',
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

/** Text inside an _arguments spec: brackets and colons escaped for _arguments, quotes for the single-quoted word. */
const zshText = (text: string): string => text.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1').replace(/'/g, `'\\''`);
/** A `name:description` item for _describe, single-quoted. */
const zshItem = (name: string, description: string): string => singleQuoted(`${name.replace(/:/g, '\\:')}:${description}`);

/** The action of an argument or option value: a function name or a list, so no quotes nest inside the spec. */
function zshAction(kind: CompletionArg['kind'] | NonNullable<CompletionOption['value']>): string {
  if (typeof kind === 'object') return `(${kind.choices.join(' ')})`;
  const actions: Record<string, string> = {
    run: '_baton_run_ids',
    blueprint: '_baton_blueprints',
    target: '_baton_targets',
    task: '_baton_tasks',
    waiting: '_baton_waiting',
    dir: '_files -/',
    file: '_files',
    other: ' ',
  };
  return actions[kind] ?? ' ';
}

function zshFunction(c: CompletionCommand, name: string): string[] {
  const specs = c.options.map((o) => {
    const flags = flagsOf(o);
    const head = flags.length > 1 ? `(${flags.join(' ')})'{${flags.join(',')}}'` : flags[0];
    const value = o.value === null ? '' : `:${o.value === 'dir' ? 'dir' : o.value === 'file' ? 'file' : o.value === 'task' ? 'task' : 'value'}:${zshAction(o.value)}`;
    return `'${head}[${zshText(o.description)}]${value}'`;
  });
  if (c.subcommands.length > 0) specs.push("'1: :->command'", "'*::arg:->args'");
  else {
    const label = (kind: CompletionArg['kind']): string => (typeof kind === 'object' ? 'value' : kind === 'other' ? 'argument' : kind);
    c.args.forEach((arg, i) => specs.push(`'${arg.variadic ? '*' : String(i + 1)}:${label(arg.kind)}:${zshAction(arg.kind)}'`));
  }
  const lines = [`${name}() {`, '  local curcontext="$curcontext" state line', '  typeset -A opt_args', `  _arguments -s ${specs.join(' ')}`];
  if (c.subcommands.length > 0) {
    lines.push(
      '  case $state in',
      `    command) local -a subs; subs=(${c.subcommands.map((s) => zshItem(s.name, s.description)).join(' ')}); _describe -t commands command subs ;;`,
      '    args)',
      '      case $words[1] in',
      ...c.subcommands.map((sub) => `        ${sub.name}) ${name}_${sub.name} ;;`),
      '      esac ;;',
      '  esac',
    );
  }
  lines.push('}');
  for (const sub of c.subcommands) lines.push(...zshFunction(sub, `${name}_${sub.name}`));
  return lines;
}

function zshScript(commands: CompletionCommand[]): string {
  const described = [...commands.map((c) => zshItem(c.name, c.description)), zshItem('help', 'show help for a command')].join(' ');
  return [
    '#compdef baton',
    '# zsh completion for baton. Load it with:  source <(baton completion zsh)  (after compinit)',
    '# The words only the state folder knows, honouring --state-dir on the line; $line[1] is the run argument.',
    '_baton_words() {',
    '  local dir="${opt_args[--state-dir]/#\\~/$HOME}"',
    '  local -a found',
    '  found=(${(f)"$(baton __complete "$@" ${dir:+--state-dir} ${dir:+"$dir"} 2>/dev/null)"})',
    '  compadd -a found',
    '}',
    '_baton_run_ids() { _baton_words runs; }',
    '_baton_tasks() { [[ -n $line[1] ]] && _baton_words tasks "$line[1]"; }',
    '_baton_waiting() { [[ -n $line[1] ]] && _baton_words waiting "$line[1]"; }',
    "_baton_blueprints() { _files -g '*.(yaml|yml)'; }",
    "_baton_targets() { _alternative 'runs:run:_baton_run_ids' 'files:blueprint:_baton_blueprints'; }",
    ...commands.flatMap((c) => zshFunction(c, `_baton_${c.name}`)),
    '_baton() {',
    '  local curcontext="$curcontext" state line',
    '  typeset -A opt_args',
    "  _arguments '(- *)'{-V,--version}'[print the version]' '(- *)'{-h,--help}'[show help]' '1: :->command' '*::arg:->args'",
    `  local -a commands; commands=(${described})`,
    '  case $state in',
    '    command) _describe -t commands command commands ;;',
    '    args)',
    '      case $words[1] in',
    ...commands.map((c) => `        ${c.name}) _baton_${c.name} ;;`),
    "        help) _describe -t commands command commands ;;",
    '      esac ;;',
    '  esac',
    '}',
    '# Sourced: register; autoloaded from a file named _baton on $fpath: complete right away.',
    'if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _baton "$@"; else compdef _baton baton; fi',
    '',
  ].join('\n');
}

function fishScript(commands: CompletionCommand[]): string {
  const names = commands.map((c) => c.name);
  const valueFlags = commands
    .flatMap((c) => [c, ...c.subcommands])
    .flatMap((c) => c.options)
    .filter((o) => o.value !== null)
    .flatMap(flagsOf);
  const lines = [
    '# fish completion for baton. Load it with:  baton completion fish | source',
    '# The words after `baton` that are not flags nor flag values: the command path, then its arguments.',
    'function __baton_args',
    '    set -l skip 0',
    '    for w in (commandline -opc)[2..-1]',
    '        if test $skip = 1; set skip 0; continue; end',
    '        switch $w',
    `            case ${[...new Set(valueFlags)].join(' ')}`,
    '                set skip 1',
    "            case '-*'",
    '            case \'*\'',
    '                echo $w',
    '        end',
    '    end',
    'end',
    '# True when the words before the cursor are the command path $argv[2..] and then $argv[1] arguments.',
    'function __baton_at',
    '    set -l args (__baton_args)',
    '    set -l path $argv[2..-1]',
    '    test (count $args) -eq (math (count $path) + $argv[1]); or return 1',
    '    for i in (seq (count $path)); test "$args[$i]" = "$path[$i]"; or return 1; end',
    'end',
    '# The words only the state folder knows, honouring --state-dir on the line; the run is the first argument.',
    'function __baton_words',
    '    set -l tokens (commandline -opc)',
    '    set -l dir',
    '    for i in (seq (count $tokens))',
    '        switch $tokens[$i]',
    '            case --state-dir',
    '                set dir $tokens[(math $i + 1)]',
    "            case '--state-dir=*'",
    "                set dir (string replace -- '--state-dir=' '' $tokens[$i])",
    '        end',
    '    end',
    '    set -l args (__baton_args)',
    '    set -l run',
    '    test $argv[1] != runs; and set run $args[2]',
    '    if test -n "$dir"',
    '        baton __complete $argv[1] $run --state-dir $dir 2>/dev/null',
    '    else',
    '        baton __complete $argv[1] $run 2>/dev/null',
    '    end',
    'end',
    'complete -c baton -f',
    `complete -c baton -n "not __fish_seen_subcommand_from ${names.join(' ')} help" -a help -d 'show help for a command'`,
    `complete -c baton -n "__fish_seen_subcommand_from help" -a ${singleQuoted(names.join(' '))}`,
  ];
  const fishSource = (kind: CompletionArg['kind']): string =>
    kind === 'run' ? '(__baton_words runs)'
    : kind === 'blueprint' ? '(__fish_complete_suffix .yaml; __fish_complete_suffix .yml)'
    : kind === 'target' ? '(__baton_words runs; __fish_complete_suffix .yaml; __fish_complete_suffix .yml)'
    : kind === 'task' ? '(__baton_words tasks)'
    : kind === 'waiting' ? '(__baton_words waiting)'
    : kind === 'other' ? ''
    : kind.choices.join(' ');
  const emit = (c: CompletionCommand, condition: string, path: string[]): void => {
    for (const o of c.options) {
      const flags = [o.long ? `-l ${o.long.slice(2)}` : '', o.short ? `-s ${o.short.slice(1)}` : ''].filter(Boolean).join(' ');
      const value =
        o.value === null ? ''
        : o.value === 'dir' ? " -r -a '(__fish_complete_directories)'"
        : o.value === 'file' ? ' -r -F'
        : o.value === 'task' ? ` -x -a ${singleQuoted(fishSource('task'))}`
        : o.value === 'other' ? ' -x'
        : ` -x -a ${singleQuoted(o.value.choices.join(' '))}`;
      lines.push(`complete -c baton -n ${singleQuoted(condition)} ${flags}${value} -d ${singleQuoted(o.description)}`);
    }
    if (c.subcommands.length > 0) {
      const subNames = c.subcommands.map((s) => s.name).join(' ');
      for (const sub of c.subcommands) {
        lines.push(`complete -c baton -n ${singleQuoted(`${condition}; and not __fish_seen_subcommand_from ${subNames}`)} -a ${sub.name} -d ${singleQuoted(sub.description)}`);
        emit(sub, `${condition}; and __fish_seen_subcommand_from ${sub.name}`, [...path, sub.name]);
      }
      return;
    }
    c.args.forEach((arg, i) => {
      const source = fishSource(arg.kind);
      const at = arg.variadic ? condition : `__baton_at ${i} ${path.join(' ')}`;
      if (source) lines.push(`complete -c baton -n ${singleQuoted(at)} -a ${singleQuoted(source)}`);
    });
  };
  for (const c of commands) {
    lines.push(`complete -c baton -n "not __fish_seen_subcommand_from ${names.join(' ')} help" -a ${c.name} -d ${singleQuoted(c.description)}`);
    emit(c, `__fish_seen_subcommand_from ${c.name}`, [c.name]);
  }
  return `${lines.join('\n')}\n`;
}
