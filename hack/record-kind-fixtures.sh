#!/bin/bash
# Records the simulator's ground truth: one kind run of every library
# scenario (all its strategies, seed 11) into sim/testdata/kind/, then refits
# the library's calibration (sim/calibration.json) from those runs. About an
# hour on 2 cores. Needs `make images` done. Usage: hack/record-kind-fixtures.sh [SCENARIO...]
set -u
cd "$(dirname "$0")/.."
make build >/dev/null || exit 1
out=_out/kind-fixtures
mkdir -p "$out" sim/testdata/kind
bin/coalmine cluster up --images local || exit 1
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  scenarios=(bad-release-5xx good-release cohort-bug crashloop latency-regression night-release peak-only-bug rare-endpoint-bug slow-leak time-bomb)
fi
for s in "${scenarios[@]}"; do
  echo "== $s $(date +%T)"
  rm -rf "${out:?}/$s"
  # Exit 1 (an expectation failed) is a result like any other; no results.json is not.
  bin/coalmine run "$s" --images local --seed 11 --out "$out/$s" >"$out/$s.log" 2>&1
  [ -f "$out/$s/results.json" ] || { echo "$s: no results (see $out/$s.log)"; exit 1; }
  cp "$out/$s/results.json" "sim/testdata/kind/$s.json"
done
bin/coalmine calibrate "$out"/*/ --out sim/calibration.json
