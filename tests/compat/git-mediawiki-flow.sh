#!/usr/bin/env bash
# git-remote-mediawiki (Debian's git-mediawiki) against one wiki of a running farm: clone the whole wiki,
# clone one category, push a new page from the first clone, pull it into the category clone.
# Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_WIKI (the wiki's script path URL,
# e.g. http://127.0.0.1:8080/w), CW_USER, CW_PASSWORD, CW_PREFIX (its pages) and CW_CATEGORY.
# Prints one line per step; exits 1 with "FAIL <step>: <why>" on the first failure.
set -uo pipefail
step=start
fail() { echo "FAIL $step: $*" >&2; exit 1; }
for name in CW_WIKI CW_USER CW_PASSWORD CW_PREFIX CW_CATEGORY; do
  [ -n "${!name:-}" ] || { echo "FAIL setup: environment variable $name is not set" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git() { command git -c user.name=Compat -c user.email=compat@example.org -c init.defaultBranch=master "$@"; }
file() { printf '%s.mw' "${1// /_}"; }

step="clone the wiki"
git clone -q "mediawiki::$CW_WIKI" whole >clone.log 2>&1 || fail "$(tail -5 clone.log)"
[ -f whole/Main_Page.mw ] || fail "no Main_Page.mw in $(ls whole)"
[ -f "whole/$(file "$CW_PREFIX target")" ] || fail "no page of the test in $(ls whole)"
echo "ok $step: $(ls whole | wc -l) pages"

step="clone one category"
# git-remote-mediawiki splits its categories setting on spaces: a name is written with underscores.
git clone -q -c "remote.origin.categories=${CW_CATEGORY// /_}" "mediawiki::$CW_WIKI" bycat >cat.log 2>&1 || fail "$(tail -5 cat.log)"
[ -f "bycat/$(file "$CW_PREFIX source")" ] || fail "the category's page is not in the clone: $(ls bycat)"
[ ! -f "bycat/$(file "$CW_PREFIX target")" ] && [ ! -f bycat/Main_Page.mw ] || fail "the category clone has other pages: $(ls bycat)"
echo "ok $step"

step="push a new page"
cd whole
git config remote.origin.mwLogin "$CW_USER"
git config remote.origin.mwPassword "$CW_PASSWORD"
printf 'Pushed with git-remote-mediawiki.\n[[Category:%s]]\n' "$CW_CATEGORY" > "$(file "$CW_PREFIX pushed")"
git add . && git commit -qm "push from git" || fail "commit failed"
git push -q origin master >../push.log 2>&1 || fail "$(tail -5 ../push.log)"
cd ..
echo "ok $step"

step="pull into the category clone"
cd bycat
git pull -q --rebase >../pull.log 2>&1 || fail "$(tail -5 ../pull.log)"
[ -f "$(file "$CW_PREFIX pushed")" ] || fail "the pushed page did not arrive: $(ls)"
grep -q 'Pushed with git-remote-mediawiki.' "$(file "$CW_PREFIX pushed")" || fail "its text: $(cat "$(file "$CW_PREFIX pushed")")"
cd ..
echo "ok $step"
echo "git-remote-mediawiki flow passed"
