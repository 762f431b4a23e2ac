#!/bin/sh
# Sets up the throw-away MediaWiki 1.39 the wikitext reference cases were generated from, and serves it on
# 127.0.0.1:8089 (loopback only). NOT run by CI: CI only reads the saved outputs. Needs root on Debian 12 (bookworm),
# whose mediawiki package is 1:1.39.17. Then: python3 tests/reference/mediawiki-cases.py
set -eu
DIR=${MWREF_DIR:-/tmp/mwref}

apt-get update
apt-get install -y --no-install-recommends mediawiki php-cli php-sqlite3 php-intl php-mbstring php-xml

rm -rf "$DIR" && mkdir -p "$DIR/db" "$DIR/docroot" "$DIR/images"
cd /usr/share/mediawiki
php maintenance/install.php --dbtype sqlite --dbpath "$DIR/db" --dbname alphawiki \
    --server http://127.0.0.1:8089 --scriptpath /w --lang en --pass 'admin-password-123' \
    --confpath "$DIR" --extensions ParserFunctions,Cite,Poem,SyntaxHighlight_GeSHi --skins "" \
    "Alpha Wiki" Admin
# Debian's MediaWiki reads /etc/mediawiki/LocalSettings.php.
ln -sf "$DIR/LocalSettings.php" /etc/mediawiki/LocalSettings.php

cat >> "$DIR/LocalSettings.php" <<'PHP'

# --- CrossWiki reference-wiki settings (tests/reference/README.md) ---
wfLoadSkin( 'Vector' );
$wgDefaultSkin = 'vector';
$wgArticlePath = "/wiki/$1";
$wgSitename = "Alpha Wiki";
$wgLanguageCode = "en";
$wgLocaltimezone = "UTC";
date_default_timezone_set( 'UTC' );
$wgPFEnableStringFunctions = false;
$wgParserCacheType = CACHE_NONE;
# Uploads on, as on the test farm: a missing file links to Special:Upload (class "new").
$wgEnableUploads = true;
$wgUploadDirectory = "/tmp/mwref/images";
$wgRateLimits = [];
$wgGroupPermissions['*']['noratelimit'] = true;
$wgGroupPermissions['user']['noratelimit'] = true;
$wgShowExceptionDetails = true;
$wgJobRunRate = 0;
PHP
php maintenance/update.php --quick
# The test farm's user: the cases are parsed as Alice, so signatures and links are the same as CrossWiki's test's.
php maintenance/createAndPromote.php Alice alice-password-1

ln -sfn /usr/share/mediawiki "$DIR/docroot/w"
cd "$DIR"
nohup php -S 127.0.0.1:8089 -t "$DIR/docroot" > "$DIR/server.log" 2>&1 &
echo $! > "$DIR/server.pid"
echo "MediaWiki on http://127.0.0.1:8089/w/api.php (stop: kill \$(cat $DIR/server.pid))"
