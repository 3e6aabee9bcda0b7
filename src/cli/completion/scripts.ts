/**
 * The completion scripts `overseer completion SHELL` prints. Each only hands the words of
 * the line to `overseer __complete` and shows what it answers (one candidate a line, its
 * description after a tab; `:files` for a path), so that what is offered always follows the
 * commands of the installed version. Errors of that call are never shown in the shell.
 */

/** The shells a script is written for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** The line `__complete` prints when the shell should complete a path itself. */
export const FILES_DIRECTIVE = ':files';

const BASH = `# overseer completion for bash: source it from ~/.bashrc, or save it as
# ~/.local/share/bash-completion/completions/overseer
_overseer_complete() {
  local current=\${COMP_WORDS[COMP_CWORD]} line
  local -a lines
  # mapfile, not $(…) in an array: a candidate is never split or globbed.
  mapfile -t lines < <(overseer __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  COMPREPLY=()
  if [[ \${lines[0]} == '${FILES_DIRECTIVE}' ]]; then
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$current")
    return 0
  fi
  for line in "\${lines[@]}"; do
    COMPREPLY+=("\${line%%$'\\t'*}")
  done
}
complete -F _overseer_complete overseer
`;

const ZSH = `#compdef overseer
# overseer completion for zsh: save it as _overseer in a folder of $fpath, or source it
# after compinit
_overseer() {
  local line
  local -a lines candidates
  lines=("\${(@f)$(overseer __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ \${lines[1]} == '${FILES_DIRECTIVE}' ]]; then
    _files
    return
  fi
  for line in $lines; do
    [[ -z $line ]] && continue
    if [[ $line == *$'\\t'* ]]; then
      candidates+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
    else
      candidates+=("\${line//:/\\\\:}")
    fi
  done
  (( \${#candidates} )) && _describe -t values overseer candidates
}
if [[ \${funcstack[1]} == _overseer ]]; then
  _overseer "$@"
else
  compdef _overseer overseer
fi
`;

const FISH = `# overseer completion for fish: save it as ~/.config/fish/completions/overseer.fish
function __overseer_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    set -l lines (overseer __complete $words "$current" 2>/dev/null)
    if test "$lines[1]" = '${FILES_DIRECTIVE}'
        __fish_complete_path "$current"
        return
    end
    # printf with no candidates would still print one empty line: offered as a candidate.
    if test (count $lines) -gt 0
        printf '%s\\n' $lines
    end
end
complete -c overseer -f -a '(__overseer_complete)'
`;

/** The completion script for `shell`. */
export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
