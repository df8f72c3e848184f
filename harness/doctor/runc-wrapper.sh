#!/bin/sh
# coalmine runc wrapper (installed by hand; coalmine doctor --fix will own this):
# drops CAP_SYS_RESOURCE, which this host's bounding set lacks, from OCI specs.
strip() { [ -f "$1" ] || return 0; t="$1.coalmine.$$"; jq 'def d: if type=="array" then map(select(. != "CAP_SYS_RESOURCE")) else . end; (if .process then .process.capabilities else .capabilities end) |= (if . then with_entries(.value |= d) else . end)' "$1" > "$t" && mv "$t" "$1"; }
bundle=""; proc=""; prev=""
for a in "$@"; do
  case "$prev" in --bundle|-b) bundle="$a";; --process|-p) proc="$a";; esac
  case "$a" in --bundle=*) bundle="${a#--bundle=}";; --process=*) proc="${a#--process=}";; esac
  prev="$a"
done
[ -n "$bundle" ] && strip "$bundle/config.json"
[ -n "$proc" ] && strip "$proc"
exec /usr/sbin/runc "$@"
