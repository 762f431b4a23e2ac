#!/usr/bin/env bash
# Starts the S3-compatible object store the file store tests need and prints the environment they read:
# OpenStack Swift (Debian's python3-swift, the store that holds Wikimedia's media) with its s3api and
# tempauth middleware, as one node with one replica, every server in one process, on loopback only.
# Sourced through tests/services.sh; `tests/object-store.sh stop` stops exactly the processes it started.
#
#   CROSSWIKI_S3_PORT   the S3 port (default 6480); the next four ports are the account, container and
#                       object servers and memcached (which tempauth keeps its tokens in)
#   CROSSWIKI_S3_DIR    configuration, rings, logs and objects (default /var/tmp/crosswiki-test-swift). Swift
#                       keeps an object's metadata in user xattrs, which /var/tmp has and some tmpfs have not.
#
# The stored objects are thrown away at each start: the tests make their own keys and buckets.
set -euo pipefail

port=${CROSSWIKI_S3_PORT:-6480}
dir=${CROSSWIKI_S3_DIR:-/var/tmp/crosswiki-test-swift}
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac
bucket=crosswiki-test
region=us-east-1
account=crosswiki user=tests secret=crosswiki-test-secret
python=/usr/bin/python3   # Debian's, whose dist-packages hold Swift (not a python from PATH)
servers="memcached account container object proxy"

port_of() {
  case $1 in proxy) echo "$port" ;; account) echo $((port + 1)) ;; container) echo $((port + 2)) ;;
    object) echo $((port + 3)) ;; memcached) echo $((port + 4)) ;; esac
}

# A process's start time (clock ticks since boot): with its pid it names one process, never a later one
# that got the same pid.
started_at() { local stat; stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0; set -- ${stat##*) }; echo "${20}"; }

# The pid of a server this script started, if that very process still runs.
pid_of() {
  local pid at
  read -r pid at 2>/dev/null < "$dir/run/$1.pid" || return 0
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -n "$at" ] && [ "$(started_at "$pid")" = "$at" ] && echo "$pid"
  return 0
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The proxy's /healthcheck answers once its whole pipeline has loaded.
proxy_healthy() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /healthcheck HTTP/1.0\r\n\r\n' >&3 && read -r -t 5 _ status _ <&3 &&
      [ "$status" = 200 ]
  ) 2>/dev/null
}

stop() {
  local s pid pids=()
  for s in $servers; do
    pid=$(pid_of "$s")
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    rm -f "$dir/run/$s.pid"
  done
  for _ in $(seq 50); do
    local alive=()
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    pids=("${alive[@]}")
    [ ${#pids[@]} -eq 0 ] && return 0
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

if [ "${1:-}" = "stop" ]; then
  stop
  exit 0
fi

print_env() {
  echo "export CROSSWIKI_S3_ENDPOINT='http://127.0.0.1:$port'"
  echo "export CROSSWIKI_S3_ACCESS_KEY='$account:$user'"
  echo "export CROSSWIKI_S3_SECRET_KEY='$secret'"
  echo "export CROSSWIKI_S3_REGION='$region'"
  echo "export CROSSWIKI_S3_BUCKET='$bucket'"
}

running=yes
for s in $servers; do [ -n "$(pid_of "$s")" ] || running=no; done
if [ "$running" = yes ] && proxy_healthy; then
  print_env
  exit 0
fi

need=()
[ -f /usr/lib/python3/dist-packages/swift/__init__.py ] || need+=(python3-swift)
command -v memcached >/dev/null || need+=(memcached)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

stop   # whatever is left of an earlier start
for s in $servers; do
  listening "$(port_of "$s")" && { echo "object-store: port $(port_of "$s") is taken; choose other ports with CROSSWIKI_S3_PORT" >&2; exit 1; }
done

mkdir -p "$dir/etc" "$dir/run" "$dir/log"
rm -rf "$dir/objects"
mkdir -p "$dir/objects/disk"
if ! "$python" -c 'import os, sys; os.setxattr(sys.argv[1], "user.crosswiki", b"x" * 254)' "$dir/objects/disk" 2>/dev/null; then
  echo "object-store: $dir has no user xattrs, which Swift keeps object metadata in; set CROSSWIKI_S3_DIR to a folder that has them" >&2
  exit 1
fi

# Swift derives every object's place from these two secrets; the objects are thrown away at each start,
# so fresh ones each time are fine.
cat > "$dir/etc/swift.conf" <<EOF
[swift-hash]
swift_hash_path_prefix = $(cat /proc/sys/kernel/random/uuid)
swift_hash_path_suffix = $(cat /proc/sys/kernel/random/uuid)
EOF

# One process per server (workers = 0) that never changes user, logging to its console (our log file).
for s in account container object; do
  cat > "$dir/etc/$s.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $(port_of "$s")
workers = 0
user = $(id -un)
swift_dir = $dir/etc
devices = $dir/objects
mount_check = false
disable_fallocate = true
log_level = WARNING

[pipeline:main]
pipeline = $s

[app:$s]
use = egg:swift#$s
EOF
done

# s3api turns S3 requests into Swift's; tempauth checks their signature against the one user below, whose
# S3 access key is "account:user".
cat > "$dir/etc/proxy.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
workers = 0
user = $(id -un)
swift_dir = $dir/etc
log_level = WARNING

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck cache listing_formats s3api tempauth copy slo dlo proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
# one node: a slow answer must not take it out of service
error_suppression_limit = 1000

[filter:s3api]
use = egg:swift#s3api
location = $region

[filter:tempauth]
use = egg:swift#tempauth
user_${account}_${user} = $secret .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$(port_of memcached)

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo
EOF

# The rings: one device on 127.0.0.1 each, one replica. Kept while the ports stay the same.
rings="$(port_of account) $(port_of container) $(port_of object)"
if [ "$(cat "$dir/etc/rings" 2>/dev/null)" != "$rings" ]; then
  "$python" - "$dir/etc" $rings <<'EOF'
import os, sys
from swift.common.ring import RingBuilder
folder = sys.argv[1]
for kind, port in zip(("account", "container", "object"), sys.argv[2:5]):
    ring = RingBuilder(part_power=6, replicas=1, min_part_hours=1)
    ring.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": int(port), "device": "disk", "weight": 1})
    ring.rebalance()
    ring.get_ring().save(os.path.join(folder, kind + ".ring.gz"))
EOF
  echo "$rings" > "$dir/etc/rings"
fi

# Swift reads /etc/swift/swift.conf unless told otherwise; this runs one server with ours.
cat > "$dir/etc/server.py" <<'EOF'
import sys
from swift.common import constraints, storage_policy, utils
from swift.common.wsgi import run_wsgi
utils.set_swift_dir(sys.argv[1])
storage_policy.reload_storage_policies()
constraints.reload_constraints()
sys.exit(run_wsgi(sys.argv[2], sys.argv[3], verbose=True))
EOF

started=$SECONDS
for s in $servers; do
  if [ "$s" = memcached ]; then
    command=(memcached -l 127.0.0.1 -p "$(port_of memcached)" -U 0 -m 16 -t 1 -u "$(id -un)")
  else
    app=$s; [ "$s" = proxy ] && app=proxy-server
    command=("$python" "$dir/etc/server.py" "$dir/etc" "$dir/etc/$s.conf" "$app")
  fi
  # Not our stdout: the caller reads it to its end ($(...)), which would then wait for the servers.
  nohup "${command[@]}" >> "$dir/log/$s.log" 2>&1 < /dev/null &
  echo "$! $(started_at $!)" > "$dir/run/$s.pid"
done

until proxy_healthy && listening "$(port_of account)" && listening "$(port_of container)" && listening "$(port_of object)"; do
  for s in $servers; do
    if [ -z "$(pid_of "$s")" ]; then
      echo "object-store: the $s server stopped during start-up; $dir/log/$s.log says:" >&2
      tail -n 20 "$dir/log/$s.log" >&2
      stop
      exit 1
    fi
  done
  if [ $((SECONDS - started)) -gt 60 ]; then
    echo "object-store: not ready after 60 s; logs in $dir/log" >&2
    stop
    exit 1
  fi
  sleep 0.1
done

print_env
