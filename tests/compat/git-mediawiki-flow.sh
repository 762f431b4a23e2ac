#!/usr/bin/env bash
# git-remote-mediawiki (Debian's git-mediawiki) against one wiki of a running farm: clone the whole wiki,
# clone one category, push a new page from the first clone, pull it into the category clone; then edits made on the
# wiki (through MediaWiki::API, which git-remote-mediawiki itself uses) arrive with the next fetch as exactly that
# many new commits, and a fetch without new edits brings none. git-remote-mediawiki keeps the last revision it
# imported in a note (refs/notes/origin/mediawiki) and asks only for what is newer: with the default fetchStrategy
# by_page, prop=revisions&rvdir=newer&rvstartid=<last + 1> per tracked page; with by_rev (the category clone here),
# list=recentchanges&rclimit=1 for the wiki's newest revision, then prop=revisions&revids=N for each N after the last.
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
# Edits on the wiki by the bot, not through git: two pages of the whole clone, one of them in the category.
wiki_edit() {
  CW_TITLE="$1" CW_TEXT="$2" CW_SUMMARY="$3" perl -MMediaWiki::API -e '
    my $mw = MediaWiki::API->new({ api_url => "$ENV{CW_WIKI}/api.php" });
    $mw->login({ lgname => $ENV{CW_USER}, lgpassword => $ENV{CW_PASSWORD} }) or die "login: $mw->{error}->{details}\n";
    my $answer = $mw->edit({ action => "edit", title => $ENV{CW_TITLE}, text => $ENV{CW_TEXT}, summary => $ENV{CW_SUMMARY} })
      or die "edit: $mw->{error}->{details}\n";
    print $answer->{edit}->{newrevid}, "\n";'
}
commits() { command git rev-list --count refs/remotes/origin/master; }
last_note() { command git notes --ref=origin/mediawiki show refs/mediawiki/origin/master 2>/dev/null; }
imported() { grep -c '^[0-9]*/[0-9]*: Revision #' "$1"; }

step="edit the wiki"
(cd whole && git config remote.origin.fetchStrategy by_page)
(cd bycat && git config remote.origin.fetchStrategy by_rev)
before_whole=$(cd whole && git fetch -q origin 2>/dev/null; commits)
before_cat=$(cd bycat && commits)
last_before=$(cd whole && last_note)
r1=$(wiki_edit "$CW_PREFIX target" "The target, edited on the wiki." "first wiki edit") || fail "$r1"
r2=$(wiki_edit "$CW_PREFIX fresh" "A page made on the wiki." "second wiki edit") || fail "$r2"
r3=$(wiki_edit "$CW_PREFIX source" "The source, edited on the wiki. [[Category:$CW_CATEGORY]]" "third wiki edit") || fail "$r3"
[ "$r1" -lt "$r2" ] && [ "$r2" -lt "$r3" ] || fail "revision ids $r1 $r2 $r3"
echo "ok $step: revisions $r1 $r2 $r3 after ${last_before#mediawiki_revision: }"

step="fetch only the new revisions (by_page)"
cd whole
git fetch origin >../fetch1.log 2>&1 || fail "$(tail -5 ../fetch1.log)"
grep -q "Last local mediawiki revision found is ${last_before#mediawiki_revision: }" ../fetch1.log || fail "last revision: $(head -5 ../fetch1.log)"
grep -q 'fetching from here' ../fetch1.log || fail "not incremental: $(head -5 ../fetch1.log)"
[ "$(imported ../fetch1.log)" = 3 ] || fail "revisions imported: $(grep 'Revision #' ../fetch1.log)"
[ "$(commits)" = $((before_whole + 3)) ] || fail "commits: $(commits) instead of $((before_whole + 3))"
subjects=$(command git log --format=%s -3 refs/remotes/origin/master | tr '\n' '|')
[ "$subjects" = "third wiki edit|second wiki edit|first wiki edit|" ] || fail "new commits: $subjects"
[ "$(last_note)" = "mediawiki_revision: $r3" ] || fail "note: $(last_note)"
echo "ok $step"

step="a second fetch brings nothing (by_page)"
git fetch origin >../fetch2.log 2>&1 || fail "$(tail -5 ../fetch2.log)"
grep -q "Last local mediawiki revision found is $r3" ../fetch2.log || fail "last revision: $(head -5 ../fetch2.log)"
[ "$(imported ../fetch2.log)" = 0 ] || fail "revisions imported again: $(grep 'Revision #' ../fetch2.log)"
[ "$(commits)" = $((before_whole + 3)) ] || fail "commits: $(commits)"
git pull -q --rebase >../pull2.log 2>&1 || fail "$(tail -5 ../pull2.log)"
grep -q 'The target, edited on the wiki.' "$(file "$CW_PREFIX target")" && [ -f "$(file "$CW_PREFIX fresh")" ] || fail "the work tree: $(ls)"
cd ..
echo "ok $step"

step="fetch only the category's new revision (by_rev)"
cd bycat
git fetch origin >../fetch3.log 2>&1 || fail "$(tail -5 ../fetch3.log)"
grep -q 'fetching from here' ../fetch3.log || fail "not incremental: $(head -5 ../fetch3.log)"
[ "$(imported ../fetch3.log)" = 1 ] && grep -q "Revision #$r3 of" ../fetch3.log || fail "revisions imported: $(grep 'Revision #' ../fetch3.log)"
grep -q "Skipping revision #$r1 of" ../fetch3.log && grep -q "Skipping revision #$r2 of" ../fetch3.log || fail "other pages' revisions: $(grep 'evision #' ../fetch3.log)"
[ "$(commits)" = $((before_cat + 1)) ] || fail "commits: $(commits) instead of $((before_cat + 1))"
git fetch origin >../fetch4.log 2>&1 || fail "$(tail -5 ../fetch4.log)"
[ "$(grep -c 'evision #' ../fetch4.log)" = 0 ] && [ "$(commits)" = $((before_cat + 1)) ] || fail "a second fetch: $(grep 'evision #' ../fetch4.log)"
cd ..
echo "ok $step"
echo "git-remote-mediawiki flow passed"
