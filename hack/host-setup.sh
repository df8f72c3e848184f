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
# Debian keeps dockerd, debootstrap and chroot in the sbin directories,
# which a non-root PATH lacks.
export PATH="$PATH:/usr/sbin:/sbin"

say() { echo "host-setup: $*" >&2; }
root=false
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then root=true; fi
engine=false
if docker info >/dev/null 2>&1; then engine=true; fi

# missing NEED: the tools of that need that are not on PATH, and their
# packages (a package column may name several, comma-separated).
missing=() packages=() optional=()
while read -r tool pkg need _; do
  [[ -z "$tool" || "$tool" == \#* ]] && continue
  case "$need" in
    run) ;;
    test) [[ "$want" == test ]] || continue ;;
    *) continue ;;
  esac
  # A Docker engine that answers needs no local dockerd (remote or rootless).
  [[ "$tool" == dockerd && $engine == true ]] && continue
  command -v "$tool" >/dev/null 2>&1 && continue
  if [[ "$need" == test && $root == false ]]; then
    optional+=("$tool ($pkg)")
    continue
  fi
  missing+=("$tool")
  for p in ${pkg//,/ }; do
    [[ " ${packages[*]} " == *" $p "* ]] || packages+=("$p")
  done
done <"$list"

if ((${#optional[@]})); then
  say "not installed (only some tests need them; they are skipped): ${optional[*]}"
fi
if ((${#missing[@]})); then
  if [[ $root == false ]]; then
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
if $engine || docker info >/dev/null 2>&1; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  say "no Docker engine answers: start Docker (or run as root), then retry"
  exit 1
fi
say "starting dockerd (log: /var/log/coalmine-dockerd.log)"
nohup dockerd >/var/log/coalmine-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 1
done
say "dockerd did not answer within 60s; see /var/log/coalmine-dockerd.log"
exit 1
