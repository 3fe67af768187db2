# zsh zsh-complete.zsh <script> <line>...: loads <script> into an interactive zsh (after compinit), types each <line>
# and TAB, and prints the completions zsh offers, one a line, then `--` after each line's. compadd is wrapped to print
# its matches; markers are split in the typed text so the terminal's echo of it never matches.
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'PS1=; autoload -U compinit && compinit -u -D'
zpty -w z "source ${(q)1}"
zpty -w z 'compadd() { builtin compadd -O __hits "$@"; local h; for h in $__hits; do print -r -- "<"hit">$h</"hit">"; done; builtin compadd "$@"; }'
zpty -w z 'finish() { print "<"done">"; zle send-break; }; zle -N finish; bindkey "^X" finish'
for line in "${@[2,-1]}"; do
  zpty -n -w z "$line"$'\t\x18'
  out=
  while zpty -r z chunk; do out+=$chunk; [[ $out == *'<done>'* ]] && break; done
  print -r -- ${(F)${(M)${(f)out}:#*<hit>*}} | sed -n 's/.*<hit>\(.*\)<\/hit>.*/\1/p' | sort -u
  print -- --
done
zpty -d z
