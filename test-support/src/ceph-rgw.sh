#!/usr/bin/env bash
# A throwaway single-node Ceph (Debian's Pacific packages) with a radosgw S3 endpoint, for the S3
# tests of several packages and the benchmark. One mon + one OSD (BlueStore on a sparse file) +
# radosgw, auth off, everything bound to 127.0.0.1, all state under $CEPH_DIR.
#
#   ceph-rgw.sh up     installs ceph-mon ceph-osd radosgw when missing (apt, needs root), builds a
#                      fresh cluster in $CEPH_DIR, starts it, creates the S3 user, and waits until
#                      a signed request succeeds. Prints "READY" last. Fails (exit 1) with a reason.
#   ceph-rgw.sh down   stops the daemons by their pid files (never by name) and deletes $CEPH_DIR.
#
# Env: CEPH_DIR (required), CEPH_MON_PORT, CEPH_MON_V1_PORT, CEPH_RGW_PORT (free ports, required),
#      S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY (the user's keys), CEPH_READY_TIMEOUT (s, 120).
set -euo pipefail
cmd="${1:-}"
: "${CEPH_DIR:?CEPH_DIR is required}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONF="$CEPH_DIR/ceph.conf"
export CEPH_CONF="$CONF"
t0=$(date +%s%N)
say() { echo "ceph-rgw: $* ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"; }
fail() { echo "ceph-rgw: $*" >&2; for f in "$CEPH_DIR"/log/*.log; do [ -s "$f" ] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done; exit 1; }
alive() { local p; [ -f "$CEPH_DIR/run/$1.pid" ] && p=$(cat "$CEPH_DIR/run/$1.pid") && [ -d "/proc/$p" ] && ! grep -q '^[^)]*) Z' "/proc/$p/stat" 2>/dev/null; }

down() {
  local name pid
  for name in client.rgw.a osd.0 mon.a; do
    [ -f "$CEPH_DIR/run/$name.pid" ] || continue
    pid=$(cat "$CEPH_DIR/run/$name.pid")
    if alive "$name"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do alive "$name" || break; sleep 0.1; done
      alive "$name" && kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  case "$CEPH_DIR" in /tmp/*|/var/tmp/*) rm -rf "$CEPH_DIR" ;; esac
}

if [ "$cmd" = down ]; then down; echo "ceph-rgw: stopped"; exit 0; fi
[ "$cmd" = up ] || { echo "usage: ceph-rgw.sh up|down" >&2; exit 2; }
: "${CEPH_MON_PORT:?}" "${CEPH_MON_V1_PORT:?}" "${CEPH_RGW_PORT:?}"
AK="${S3_ACCESS_KEY_ID:-AKIAIOSFODNN7EXAMPLE}"
SK="${S3_SECRET_ACCESS_KEY:-wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY}"

# ---- packages -------------------------------------------------------------------------------
missing=""
for p in ceph-mon ceph-osd radosgw uuid-runtime; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  command -v apt-get >/dev/null || fail "Ceph is not installed and there is no apt-get; set S3_ENDPOINT to test against another server"
  [ "$(id -u)" = 0 ] || fail "installing$missing needs root (or set S3_ENDPOINT to test against another server)"
  say "installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  # stop the packages' postinst from starting system-wide daemons
  own_policy=0
  [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; }
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 || { [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d; fail "apt-get install$missing failed"; }
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  say "installed"
fi

mkdir -p "$CEPH_DIR"/{mon,osd,run,log,tmp}
FSID=$(uuidgen)
MON="[v2:127.0.0.1:$CEPH_MON_PORT,v1:127.0.0.1:$CEPH_MON_V1_PORT]"
cat > "$CONF" <<CONF
[global]
fsid = $FSID
mon host = $MON
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
# with auth off, every messenger mode must be crc or radosgw waits 300 s for "secure"
ms mon client mode = crc
ms client mode = crc
ms mon cluster mode = crc
ms mon service mode = crc
ms cluster mode = crc
ms service mode = crc
run dir = $CEPH_DIR/run
admin socket = $CEPH_DIR/run/\$name.asok
pid file = $CEPH_DIR/run/\$name.pid
log file = $CEPH_DIR/log/\$name.log
log to stderr = false
err to stderr = true
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon data avail warn = 2
mon data avail crit = 1
osd objectstore = bluestore
debug ms = 0
[mon]
mon data = $CEPH_DIR/mon/\$cluster-\$id
[osd]
osd data = $CEPH_DIR/osd/\$cluster-\$id
bluestore block path = $CEPH_DIR/osd/\$cluster-\$id.block
# Sparse: disk is used only as written. 16 GiB, because the bench's 256 MiB group overwrites one
# key 24 times (6 GiB) faster than RGW's garbage collection frees the old copies; on 8 GiB that
# came close to Ceph's full ratios, where the OSD stops taking writes.
bluestore block size = 17179869184
bluestore block create = true
bluestore fsck on mount = false
osd memory target = 1073741824
osd op num shards = 2
osd op num threads per shard = 2
[client.rgw.a]
# tcp_nodelay: without it small GETs on a kept-alive connection wait ~40 ms (Nagle + delayed ACK)
rgw frontends = beast endpoint=127.0.0.1:$CEPH_RGW_PORT tcp_nodelay=1
rgw dns name = localhost
rgw thread pool size = 64
rgw gc obj min wait = 30
rgw gc processor period = 30
# SSE-C (customer keys) over plain HTTP, so the tests can prove what fusio does with such objects
rgw crypt require ssl = false
log file = $CEPH_DIR/log/rgw.log
CONF

# Daemons fork and keep the caller's stdio: detach it, or a pipe around this script never closes.
monmaptool --create --fsid "$FSID" --addv a "$MON" "$CEPH_DIR/tmp/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$CEPH_DIR/tmp/monmap" </dev/null >>"$CEPH_DIR/log/stdio.log" 2>&1 || fail "ceph-mon --mkfs failed"
ceph-mon -i a </dev/null >>"$CEPH_DIR/log/stdio.log" 2>&1 || fail "ceph-mon did not start"
timeout 60 ceph -s --connect-timeout 30 >/dev/null 2>&1 || fail "the monitor did not answer"
say "mon up"

OSD_UUID=$(uuidgen)
OSDID=$(timeout 30 ceph osd new "$OSD_UUID") || fail "ceph osd new failed"
[ "$OSDID" = 0 ] || fail "unexpected osd id $OSDID"
mkdir -p "$CEPH_DIR/osd/ceph-0"
ceph-osd -i 0 --mkfs --osd-uuid "$OSD_UUID" </dev/null >>"$CEPH_DIR/log/stdio.log" 2>&1 || fail "ceph-osd --mkfs failed"
ceph-osd -i 0 </dev/null >>"$CEPH_DIR/log/stdio.log" 2>&1 || fail "ceph-osd did not start"
deadline=$(( $(date +%s) + 60 ))
until timeout 10 ceph osd dump 2>/dev/null | grep -q '^osd.0 up'; do
  [ "$(date +%s)" -ge "$deadline" ] && fail "osd.0 did not come up"
  sleep 0.3
done
say "osd up"

radosgw -n client.rgw.a </dev/null >>"$CEPH_DIR/log/stdio.log" 2>&1 || fail "radosgw did not start"
timeout 90 radosgw-admin user create --uid=fusio --display-name="fusio tests" \
  --access-key="$AK" --secret="$SK" >/dev/null 2>>"$CEPH_DIR/log/stdio.log" || fail "radosgw-admin user create failed"
deadline=$(( $(date +%s) + ${CEPH_READY_TIMEOUT:-120} ))
until node "$HERE/ceph-rgw-probe.mjs" "http://127.0.0.1:$CEPH_RGW_PORT" "$AK" "$SK" >/dev/null 2>&1; do
  alive client.rgw.a || fail "radosgw exited"
  [ "$(date +%s)" -ge "$deadline" ] && fail "radosgw did not answer a signed request in time"
  sleep 0.3
done
say "READY http://127.0.0.1:$CEPH_RGW_PORT"
