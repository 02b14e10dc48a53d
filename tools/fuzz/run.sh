#!/usr/bin/env bash
# Coverage-guided fuzzing of one SmartKey parser for a bounded time:
#   tools/fuzz/run.sh <link|handshake|command|ota|config> <seconds>
# Publishes tools/SmartKey.Fuzz, instruments the firmware assembly with SharpFuzz (the dotnet tool pinned
# in .config/dotnet-tools.json), runs afl-fuzz (Debian's afl++) from the seeds in tools/fuzz/seeds/<target>,
# and prints the executions and findings. Exit 1 when afl saved a crash or a hang: each one goes to
# tools/fuzz/regressions/<target>/ once fixed (FuzzRegressionTests replays that folder).
set -euo pipefail
target=${1:?usage: tools/fuzz/run.sh <link|handshake|command|ota|config> <seconds>}
seconds=${2:?usage: tools/fuzz/run.sh <target> <seconds>}
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_OUT:-$repo/tools/fuzz/out}
bin=$out/bin
findings=$out/findings/$target
[ -d "$repo/tools/fuzz/seeds/$target" ] || { echo "error: no seeds for '$target' (tools/fuzz/seeds/)" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "error: afl-fuzz is not installed (apt-get install -y afl++)" >&2; exit 2; }

cd "$repo"
dotnet tool restore >/dev/null
if [ ! -f "$bin/.instrumented" ]; then
  rm -rf "$bin"
  dotnet publish tools/SmartKey.Fuzz -c Release -o "$bin" -v q -nologo >/dev/null
  # Only the code under test gets afl's edge counters: the firmware core every target parses with.
  dotnet sharpfuzz "$bin/SmartKey.Firmware.dll"
  touch "$bin/.instrumented"
fi

rm -rf "$findings"
mkdir -p "$findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
afl-fuzz -V "$seconds" -i "tools/fuzz/seeds/$target" -o "$findings" -t 10000 -m none -- dotnet "$bin/smartkey-fuzz.dll" "$target" > "$findings.log" 2>&1 || {
  echo "error: afl-fuzz stopped early; see $findings.log" >&2; tail -5 "$findings.log" >&2; exit 2; }

stats=$findings/default/fuzzer_stats
value() { sed -n "s/^$1 *: *//p" "$stats"; }
crashes=$(value saved_crashes); hangs=$(value saved_hangs)
echo "$target: $(value execs_done) executions in $(value run_time) s ($(value execs_per_sec)/s), $(value corpus_count) corpus entries, edges found $(value edges_found), crashes $crashes, hangs $hangs"
if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
  ls "$findings"/default/crashes "$findings"/default/hangs 2>/dev/null
  echo "replay: dotnet $bin/smartkey-fuzz.dll $target --replay $findings/default/crashes" >&2
  exit 1
fi
