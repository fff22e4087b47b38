#!/usr/bin/env bash
# Big and odd input at full size, with peak memory and wall time from /usr/bin/time -v.
# The test suite runs the same cases at CI size (tests/hostile.rs); this is the real thing.
#
#   scripts/stress.sh              # all cases, in a temporary folder (about 10 minutes)
#   scripts/stress.sh /big/disk    # keep the generated inputs there (needs ~3 GB)
#   ROWS=1000000 scripts/stress.sh # fewer evaluate rows (also BIG and LONG: bytes of the
#                                  # over-limit and the long single-line inputs)
#
# Prints a Markdown table: case, exit code, wall time, peak resident memory, and the first
# line of standard error. Needs bash, awk, head, tr, yes, iconv, numfmt and GNU time
# (/usr/bin/time).
# No pipefail: `yes | head` ends with SIGPIPE by design.
set -eu
cd "$(dirname "$0")/.."

ROWS=${ROWS:-10000000}
BIG=${BIG:-1073741824}  # 1 GiB: over the 64 MiB limit
LONG=${LONG:-62914560}  # 60 MiB: under it
work=${1:-}
if [ -z "$work" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

cargo build --release --quiet
bin=$PWD/target/release/geostance
model=$work/model.json
"$bin" train -q --data tests/fixtures/tiny.csv --model "$model" 2>/dev/null

echo "| case | exit | wall time | peak memory | message |"
echo "| --- | --- | --- | --- | --- |"

human() { numfmt --to=iec-i --suffix=B "$1"; }

# measure NAME INPUT -- COMMAND...: runs COMMAND with INPUT on standard input.
measure() {
    local name=$1 input=$2
    shift 3
    local rc=0
    /usr/bin/time -v -o "$work/time.txt" "$@" < "$input" > "$work/out.txt" 2> "$work/err.txt" || rc=$?
    local wall peak msg
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
    peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2 / 1024}' "$work/time.txt")
    msg=$(head -n 1 "$work/err.txt" | cut -c1-110)
    echo "| $name | $rc | $wall | $peak | ${msg:-} |"
}

# A single-line article without sentence terminators, naming three countries over and over.
line_article() { # BYTES FILE
    yes 'Japan sanctioned Russia and India abstained' | tr '\n' ' ' | head -c "$1" > "$2"
}

line_article "$BIG" "$work/1g.txt"
measure "classify: $(human "$BIG") single-line article (over the 64 MiB limit)" "$work/1g.txt" -- \
    "$bin" classify --model "$model" --format json

line_article "$LONG" "$work/60m.txt"
measure "classify: $(human "$LONG") single-line article" "$work/60m.txt" -- \
    "$bin" classify --model "$model" --format json
measure "countries: $(human "$LONG") single-line article" "$work/60m.txt" -- \
    "$bin" countries --format json

# CJK without spaces or terminators: long sentences are cut at character boundaries.
# (iconv -c drops a character that head -c cut in two.)
yes '日本はロシアに制裁を科し中国は棄権し' | tr -d '\n' | head -c "$LONG" \
    | iconv -c -f UTF-8 -t UTF-8 > "$work/cjk.txt"
measure "classify: $(human "$LONG") CJK on one line, no spaces" "$work/cjk.txt" -- \
    "$bin" classify --model "$model" --format json

# Emoji, punctuation, right-to-left text and NUL bytes, 60 MiB.
yes $'🙂🇯🇵 !!! ... ישראל ומצרים. روسيا؟ \x01Japan\x01 sanctioned Russia.' | head -c "$LONG" \
    | iconv -c -f UTF-8 -t UTF-8 | tr '\001' '\000' > "$work/odd.txt"
measure "classify: $(human "$LONG") of emoji, punctuation, RTL, NUL" "$work/odd.txt" -- \
    "$bin" classify --model "$model" --format json

# JSON Lines: one 1 GiB record (over the limit).
{ printf '{"id":"big","text":"'; cat "$work/1g.txt"; printf '"}\n'; } > "$work/1g.jsonl"
measure "classify --input jsonl: one $(human "$BIG") line (over the limit)" "$work/1g.jsonl" -- \
    "$bin" classify --model "$model" --input jsonl --format json

# Labeled CSV: ROWS rows streamed through evaluate.
awk -v rows="$ROWS" 'NR == 1 { print; next } { line[n++] = $0 }
    END {
        for (i = 0; i < rows; i++) {
            l = line[i % n]
            sub(/",/, " w" (i % 5000) "\",", l)
            print l
        }
    }' tests/fixtures/tiny.csv > "$work/rows.csv"
measure "evaluate: $ROWS CSV rows ($(du -h "$work/rows.csv" | cut -f1))" /dev/null -- \
    "$bin" evaluate -q --model "$model" --data "$work/rows.csv" --format json
head -n $((ROWS / 10 + 1)) "$work/rows.csv" > "$work/rows10.csv"
measure "evaluate: $((ROWS / 10)) CSV rows (memory should match the line above)" /dev/null -- \
    "$bin" evaluate -q --model "$model" --data "$work/rows10.csv" --format json

# CSV text cells: at the 1 MiB row limit (quadratic before the analyzer capped context
# mentions), and over it.
{ echo 'text,target,stance'; printf '"'; head -c 1048576 "$work/60m.txt"; echo '",Japan,favor'; } \
    > "$work/cell.csv"
measure "evaluate: one 1 MiB CSV cell (the row limit)" /dev/null -- \
    "$bin" evaluate -q --model "$model" --data "$work/cell.csv"
{ echo 'text,target,stance'; printf '"'; cat "$work/60m.txt"; echo '",Japan,favor'; } \
    > "$work/cell.csv"
measure "evaluate: one $(human "$LONG") CSV cell (over the row limit)" /dev/null -- \
    "$bin" evaluate -q --model "$model" --data "$work/cell.csv"
