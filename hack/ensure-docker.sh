#!/usr/bin/env bash
# Make sure a Docker engine answers. On a Debian host run as root it installs
# docker.io and starts dockerd when they are missing; elsewhere it explains
# what is needed. It never changes the configuration of a running engine.
set -euo pipefail

if docker info >/dev/null 2>&1; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "ensure-docker: no Docker engine answers; install and start Docker, then retry" >&2
  exit 1
fi
if ! command -v dockerd >/dev/null; then
  echo "ensure-docker: installing docker.io from the Debian archive" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
echo "ensure-docker: starting dockerd (log: /var/log/coalmine-dockerd.log)" >&2
nohup dockerd >/var/log/coalmine-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 1
done
echo "ensure-docker: dockerd did not answer within 60s; see /var/log/coalmine-dockerd.log" >&2
exit 1
