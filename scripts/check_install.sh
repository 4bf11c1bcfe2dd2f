#!/usr/bin/env bash
# make install into a temporary PREFIX and check what it put there (make install-check, part of make test):
#   - bin/merit runs and prints its version;
#   - a manual page for merit and for every command, each rendered by `man -l` without a warning
#     and naming its command;
#   - the bash completion script sources without error and completes merit's commands; the zsh and fish
#     scripts are where those shells look (zsh -n / fish -n check them too when those shells are installed);
#   - make uninstall with the same PREFIX removes every file again.
# Usage: scripts/check_install.sh [release|debug]   (the build to install; default release)
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-release}"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
fail() { echo "install-check: $*" >&2; exit 1; }

start=$SECONDS
make --no-print-directory install PREFIX="$prefix" INSTALL_CONFIG="$config" >"$prefix.log" 2>&1 \
  || { cat "$prefix.log" >&2; rm -f "$prefix.log"; fail "make install PREFIX=$prefix failed"; }
rm -f "$prefix.log"
took=$((SECONDS - start))

# The binary.
[ -x "$prefix/bin/merit" ] || fail "no $prefix/bin/merit"
version="$("$prefix/bin/merit" --version)" || fail "merit --version failed"
[ -n "$version" ] || fail "merit --version printed nothing"

# The manual pages: merit's own and one per command (every command of `merit --help` has one).
man1="$prefix/share/man/man1"
[ -f "$man1/merit.1" ] || fail "no manual page $man1/merit.1"
commands="$("$prefix/bin/merit" --help | awk '/^SUBCOMMANDS:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}')"
[ -n "$commands" ] || fail "merit --help lists no command"
for c in $commands; do
  [ "$c" = help ] && continue
  [ -f "$man1/merit.$c.1" ] || fail "no manual page for merit $c ($man1/merit.$c.1)"
done
pages=0
for page in "$man1"/merit*.1; do
  name="$(basename "$page" .1)"            # merit.rubrics.show
  title="${name//./ }"                     # merit rubrics show
  errors="$(MANWIDTH=80 man -l "$page" 2>&1 >/dev/null)" || fail "man -l $page failed: $errors"
  [ -z "$errors" ] || fail "man -l $page warned: $errors"
  text="$(MANWIDTH=80 man -l "$page" 2>/dev/null | col -b)"
  grep -qiF "${name^^}" <<<"$text" || grep -qF "$title" <<<"$text" || fail "$page does not name its command ($title)"
  pages=$((pages + 1))
done
grep -qF -- "--format" <<<"$(MANWIDTH=80 man -l "$man1/merit.review.1" | col -b)" || fail "merit.review.1 does not describe --format"

# The completion scripts.
bashfile="$prefix/share/bash-completion/completions/merit"
zshfile="$prefix/share/zsh/site-functions/_merit"
fishfile="$prefix/share/fish/vendor_completions.d/merit.fish"
for f in "$bashfile" "$zshfile" "$fishfile"; do [ -s "$f" ] || fail "no completion script $f"; done
bash -c "source '$bashfile'" || fail "bash cannot source $bashfile"
completed="$(bash -c "source '$bashfile'; COMP_WORDS=(merit ru); COMP_CWORD=1; COMP_LINE='merit ru'; COMP_POINT=8; _merit merit ru merit; printf '%s\n' \"\${COMPREPLY[@]}\"")" \
  || fail "the bash completion function failed"
grep -qx rubrics <<<"$completed" || fail "bash does not complete 'merit ru' to rubrics (got: $completed)"
grep -q "compdef" "$zshfile" || fail "$zshfile is not a zsh completion script"
grep -qE "complete -c '?merit'?" "$fishfile" || fail "$fishfile is not a fish completion script"
if command -v zsh >/dev/null; then zsh -n "$zshfile" || fail "zsh -n $zshfile"; fi
if command -v fish >/dev/null; then fish -n "$fishfile" || fail "fish -n $fishfile"; fi

# make uninstall removes all of it.
make --no-print-directory uninstall PREFIX="$prefix" >/dev/null
left="$(find "$prefix" -type f)"
[ -z "$left" ] || fail "make uninstall left: $left"

echo "install-check: make install PREFIX=… ($config build, ${took} s): merit $version, $pages manual pages render with man, bash completes, zsh and fish scripts in place; make uninstall removes them"
