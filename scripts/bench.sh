#!/usr/bin/env bash
# The benchmark of issue 5, in one run: generates its corpora in a temporary
# directory, then measures (medians)
#   - in-process (benches/pipeline.rs): bare jieba-rs `cut` throughput, the
#     full pipeline on 1 and 2 threads for one ~20 MB file and 2,000 small
#     files, dictionary vs pipeline build time;
#   - whole process: `extract` on the same corpora with --threads 1 and 2,
#     start-up on the seed article vs examples/jieba_only.rs, and peak memory
#     (/usr/bin/time -v, "Maximum resident set size");
#   - with --big: peak memory of `--input jsonl --format jsonl` on a 1 GB
#     JSONL file (generated, then deleted);
#   - with --huge (and nothing else): time and peak memory of one single-line
#     document of 10, 20, 50 and 100 MB (the corpus without its line breaks,
#     repeated), `--format json` and `jsonl`, 1 and 2 threads, one run each.
# Usage: scripts/bench.sh [--big | --huge]      BENCH_ROUNDS=N sets the rounds (5).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${BENCH_ROUNDS:-5}
BIG=false
HUGE=false
[ "${1:-}" = --big ] && BIG=true
[ "${1:-}" = --huge ] && HUGE=true
DIR=$(mktemp -d "${TMPDIR:-/tmp}/extract-bench.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
SEED=corpus/2024-09-06-taobao-wechat-pay.txt

cargo build --release --quiet --bin extract --example jieba_only
TARGET=$(cargo metadata --format-version 1 --no-deps | sed 's/.*"target_directory":"\([^"]*\)".*/\1/')
EXTRACT=$TARGET/release/extract
JIEBA=$TARGET/release/examples/jieba_only

if $HUGE; then
    # Every article on one line, repeated and cut (at a character boundary)
    # to exactly the size: one document with no line break at all.
    cat corpus/*.txt | tr -d '\n' > "$DIR/line.txt"
    echo "| input | format | threads | wall time (s) | MB/s | peak RSS (MB) | RSS ÷ input |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    for mb in 10 20 50 100; do
        python3 - "$DIR/line.txt" "$DIR/huge.txt" "$mb" <<'PY'
import sys
line, out, mb = open(sys.argv[1], "rb").read(), sys.argv[2], int(sys.argv[3])
size = mb * 1_000_000
data = line * (size // len(line) + 1)
while data[size] & 0xC0 == 0x80:  # a UTF-8 continuation byte: go on to the boundary
    size += 1
open(out, "wb").write(data[:size])
PY
        for format in json jsonl; do
            for threads in 1 2; do
                /usr/bin/time -v "$EXTRACT" --threads "$threads" --format "$format" "$DIR/huge.txt" \
                    2> "$DIR/time.txt" > /dev/null
                awk -v mb="$mb" -v f="$format" -v t="$threads" '
                    /Elapsed/ { n = split($NF, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
                    /Maximum resident set size/ { rss = $NF / 1024 }
                    END { printf "| %d MB | %s | %d | %.1f | %.2f | %.0f | %.1f |\n", mb, f, t, s, mb / s, rss, rss / mb }' \
                    "$DIR/time.txt"
            done
        done
    done
    exit 0
fi

# The corpora: every article repeated to ~20 MB as one file, and 2,000 small
# files cycling through the articles (names keep their date prefix).
articles=(corpus/*.txt)
cat "${articles[@]}" > "$DIR/one.txt"
copies=$(( 20000000 / $(wc -c < "$DIR/one.txt") + 1 ))
for _ in $(seq "$copies"); do cat "$DIR/one.txt"; done > "$DIR/big.txt"
mkdir "$DIR/many"
for i in $(seq 0 1999); do
    a=${articles[$(( i % ${#articles[@]} ))]}
    cp "$a" "$DIR/many/$(basename "$a" .txt)-$(printf %04d "$i").txt"
done

echo "## in-process (benches/pipeline.rs)"
BENCH_ROUNDS=$ROUNDS cargo bench --quiet --bench pipeline -- "$DIR"

# Wall time in seconds of one run of a command (output discarded).
wall() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" > /dev/null
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}
mid() { sort -g | awk '{a[NR]=$1} END {printf "%.3f\n", a[int((NR+1)/2)]}'; }
# The commands in the arrays A and B, N times each, taking turns (which one
# goes first alternates): "median A, median B, median of the rounds' A/B".
# A shared machine's speed drifts during a run; a ratio taken round by
# round holds where medians taken block by block do not.
paired() {
    local n=$1 i ta tb
    : > "$DIR/a.txt"; : > "$DIR/b.txt"; : > "$DIR/r.txt"
    wall "${A[@]}" > /dev/null; wall "${B[@]}" > /dev/null
    for i in $(seq "$n"); do
        if (( i % 2 )); then ta=$(wall "${A[@]}"); tb=$(wall "${B[@]}")
        else tb=$(wall "${B[@]}"); ta=$(wall "${A[@]}"); fi
        echo "$ta" >> "$DIR/a.txt"; echo "$tb" >> "$DIR/b.txt"
        echo "$ta / $tb" | bc -l >> "$DIR/r.txt"
    done
    echo "$(mid < "$DIR/a.txt") $(mid < "$DIR/b.txt") $(mid < "$DIR/r.txt")"
}
ratio() { echo "scale=2; $1 / $2" | bc -l; }
peak() { # peak resident set size in MB of one run
    /usr/bin/time -v "$@" 2>&1 > /dev/null | awk '/Maximum resident set size/ {printf "%.0f\n", $NF/1024}'
}

echo
echo "## whole process"
big_mb=$(echo "scale=3; $(wc -c < "$DIR/big.txt") / 1000000" | bc -l)
many_mb=$(echo "scale=3; $(cat "$DIR"/many/*.txt | wc -c) / 1000000" | bc -l)
A=("$EXTRACT" --threads 1 --format jsonl "$DIR/big.txt")
B=("$EXTRACT" --threads 2 --format jsonl "$DIR/big.txt")
read -r b1 b2 b_r < <(paired "$ROUNDS")
A=("$EXTRACT" --threads 1 --format jsonl -r "$DIR/many")
B=("$EXTRACT" --threads 2 --format jsonl -r "$DIR/many")
read -r m1 m2 m_r < <(paired "$ROUNDS")
A=("$EXTRACT" "$SEED")
B=("$JIEBA" "$SEED")
read -r s_x s_j s_r < <(paired $(( ROUNDS * 4 + 1 )))
echo "| measure | median (s) | MB/s |"
echo "| --- | --- | --- |"
echo "| extract --threads 1, big.txt ($big_mb MB) | $b1 | $(ratio "$big_mb" "$b1") |"
echo "| extract --threads 2, big.txt | $b2 | $(ratio "$big_mb" "$b2") |"
echo "| extract --threads 1, many/ ($many_mb MB) | $m1 | $(ratio "$many_mb" "$m1") |"
echo "| extract --threads 2, many/ | $m2 | $(ratio "$many_mb" "$m2") |"
echo "| extract, seed article | $s_x | |"
echo "| jieba_only, seed article | $s_j | |"
echo
echo "| ratio | value | target |"
echo "| --- | --- | --- |"
echo "| 2 threads / 1 thread, big.txt | $(printf %.2f "$b_r") | ≥ 1.7 |"
echo "| 2 threads / 1 thread, many/ | $(printf %.2f "$m_r") | ≥ 1.7 |"
echo "| extract / jieba_only, seed article | $(printf %.2f "$s_r") | ≤ 1.3 |"
# Start-up regression guard: a warning, not a failure (timings on shared
# machines move by ±20 %).
if [ "$(echo "$s_r > 1.3" | bc -l)" = 1 ]; then
    echo
    echo "warning: start-up is $(printf %.2f "$s_r") × jieba_only's on the seed article (target ≤ 1.3)"
fi
echo
echo "| peak memory | MB |"
echo "| --- | --- |"
echo "| extract, seed article | $(peak "$EXTRACT" "$SEED") |"
echo "| jieba_only, seed article | $(peak "$JIEBA" "$SEED") |"
echo "| extract --format jsonl, big.txt | $(peak "$EXTRACT" --format jsonl "$DIR/big.txt") |"
echo "| extract --format jsonl -r many/ | $(peak "$EXTRACT" --format jsonl -r "$DIR/many") |"
if $BIG; then
    # ~1 GB of JSON lines, one article per line, ids numbered.
    python3 - "$DIR/big.jsonl" "${articles[@]}" <<'PY'
import json, sys
out, paths = sys.argv[1], sys.argv[2:]
lines = [json.dumps({"id": p.split("/")[-1][:-4], "text": open(p, encoding="utf-8").read(),
                     "published": p.split("/")[-1][:10]}, ensure_ascii=False) for p in paths]
size, n = 0, 0
with open(out, "w", encoding="utf-8") as f:
    while size < 1_000_000_000:
        line = lines[n % len(lines)].replace('"id": "', f'"id": "{n:07d}-', 1) + "\n"
        f.write(line); size += len(line.encode()); n += 1
PY
    t0=$(date +%s.%N)
    mem=$(peak "$EXTRACT" --input jsonl --format jsonl "$DIR/big.jsonl")
    t1=$(date +%s.%N)
    echo "| extract --input jsonl --format jsonl, 1 GB JSONL | $mem (in $(echo "$t1 - $t0" | bc -l | cut -c1-6) s) |"
    rm -f "$DIR/big.jsonl"
fi
