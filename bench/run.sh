#!/usr/bin/env bash
# The CrossWiki benchmark (bench/README.md): installs wrk and vipsthumbnail (the limit the thumbnail
# one-shot is compared with) if missing, builds Release, runs the bench.
# Extra arguments go to the bench (e.g. --seconds 5, --no-scaling, --rows userinfo).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
fi
if ! command -v vipsthumbnail >/dev/null 2>&1; then
  echo "Installing vipsthumbnail (Debian package libvips-tools)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvips-tools >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvips-tools >/dev/null; }
fi

dotnet build bench/CrossWiki.Bench/CrossWiki.Bench.csproj -c Release --nologo -v q -clp:ErrorsOnly
exec dotnet bench/CrossWiki.Bench/bin/Release/net10.0/CrossWiki.Bench.dll \
  --server src/CrossWiki.Server/bin/Release/net10.0/CrossWiki.Server.dll "$@"
