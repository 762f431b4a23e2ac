#!/usr/bin/env bash
# Runs every test of CrossWiki on a fresh machine: installs what the tests need (the real
# MediaWiki clients the compatibility tests drive, Debian's Chromium for the browser tests,
# PostgreSQL and Redis for the multi-node tests, OpenStack Swift for the S3 file store tests), then the
# crosswiki.js and .NET test suites.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -f /usr/lib/python3/dist-packages/mwclient/__init__.py ] || need_apt+=(python3-mwclient)
[ -f /usr/share/perl5/MediaWiki/Bot.pm ] || need_apt+=(libmediawiki-bot-perl)
[ -x /usr/lib/git-core/git-remote-mediawiki ] || need_apt+=(git-mediawiki)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f tests/compat/package-lock.json ]; then
  echo "Installing the npm clients (npm ci)"
  npm ci --prefix tests/compat --no-audit --no-fund --loglevel=error
fi

# PostgreSQL and Redis for the multi-node tests and the object store for the file store tests, on
# loopback; stopped again when the tests end.
eval "$(bash tests/services.sh)"
trap 'bash tests/services.sh stop' EXIT

log=$(mktemp)
status=0
echo "crosswiki.js unit tests (node --test)"
node --test tests/js/*.test.mjs 2>&1 | tee "$log" || status=$?
js_passed=$(grep -Eo '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
js_failed=$(grep -Eo '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')

dotnet test CrossWiki.slnx --nologo 2>&1 | tee "$log" || status=$?

# One closing line that any reader understands, summed over the test projects.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk -v js="$js_passed" '{s+=$2} END {print s+js}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk -v js="$js_failed" '{s+=$2} END {print s+js}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
