#!/usr/bin/env bash
# Fuzz the library's input readers with cargo-fuzz (libFuzzer). Needs a nightly toolchain and
# `cargo install cargo-fuzz`.
#
#   scripts/fuzz.sh            # every target for 60 s each
#   scripts/fuzz.sh 600 model  # one target for 10 minutes
#
# Targets (fuzz/fuzz_targets/, harnesses in tests/support/harness.rs):
#   csv        geostance::dataset::CsvExamples on arbitrary bytes
#   analyzer   text::tokenize, normalize, features::Analyzer n-grams, Vectorizer
#   sentences  text::sentences::split and its documented guarantees
#   countries  countries::Gazetteer::builtin()?.find, lookup, the pipeline's Locator
#   model      model::persist::from_bytes, then classify/explain/info with what loaded
#   model_patch  the same on valid model files with values replaced or removed (structure-aware)
#
# The growing corpus is kept in fuzz/corpus/<target> (not committed); the committed seeds are
# in fuzz/seeds/<target>. A crash is saved under fuzz/artifacts/<target>/; reproduce it with
#   cargo +nightly fuzz run <target> fuzz/artifacts/<target>/crash-...
# then add it as a regression test in tests/hostile.rs named after the bug.
set -euo pipefail
cd "$(dirname "$0")/.."

# One thread: the harnesses are small, and rayon wake-ups would dominate the run time.
export RAYON_NUM_THREADS=1

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(csv analyzer sentences countries model model_patch)
fi

failed=()
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t"
    extra=()
    if [ "$t" = model ]; then
        extra=(-dict=fuzz/model.dict -max_len=16384)
    fi
    echo "== fuzzing $t for ${seconds}s"
    if ! cargo +nightly fuzz run -O "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        "${extra[@]}"; then
        failed+=("$t")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found crashes in: ${failed[*]} (see fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzzing found no crashes"
