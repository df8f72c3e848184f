#!/usr/bin/env bash
# Installs everything the host needs for `make run` and `make test`, then
# makes sure a Docker engine answers. The tools and their Debian packages are
# listed in internal/hostdeps/tools.txt (a unit test keeps that list true to
# what the code runs). Each change is announced on stderr; a host that has
# everything is left untouched.
#
#   hack/host-setup.sh          tools for `make run` and `make test`
#   hack/host-setup.sh run      tools for `make run` only
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-test}"
list=internal/hostdeps/tools.txt

say() { echo "host-setup: $*" >&2; }

missing=() packages=()
while read -r tool pkg need _; do
  [[ -z "$tool" || "$tool" == \#* ]] && continue
  case "$need" in
    run) ;;
    test) [[ "$want" == test ]] || continue ;;
    *) continue ;;
  esac
  command -v "$tool" >/dev/null 2>&1 && continue
  missing+=("$tool")
  [[ " ${packages[*]} " == *" $pkg "* ]] || packages+=("$pkg")
done <"$list"

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    say "missing: ${missing[*]}"
    say "install the Debian packages ${packages[*]} (or your system's equivalents), then retry"
    exit 1
  fi
  say "missing ${missing[*]}: installing Debian packages ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq "${packages[@]}" >/dev/null
  for t in "${missing[@]}"; do
    command -v "$t" >/dev/null 2>&1 || { say "$t still missing after installing ${packages[*]}"; exit 1; }
  done
fi

# A Docker engine that answers. It never changes a running engine's
# configuration (coalmine doctor --fix does that, and says so).
if docker info >/dev/null 2>&1; then
  exit 0
fi
say "starting dockerd (log: /var/log/coalmine-dockerd.log)"
nohup dockerd >/var/log/coalmine-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 1
done
say "dockerd did not answer within 60s; see /var/log/coalmine-dockerd.log"
exit 1
