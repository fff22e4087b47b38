#!/usr/bin/env python3
"""Split the authored corpus (data/corpus/*.csv) into data/train.csv and data/test.csv.

The split is by passage, not by row: every row of a passage goes to the same side, so
near-identical sentences written together never straddle train and test. A passage goes to the
test file when the first 8 bytes of SHA-256("<passage id>") read as an integer, modulo 100, are
below 20 (about 20% of passages). Deterministic; run it again after editing the corpus:

    python3 scripts/split_corpus.py
"""
import csv
import glob
import hashlib
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIELDS = ["text", "target", "stance", "sentiment", "passage"]
TEST_PERCENT = 20


def is_test(passage: str) -> bool:
    digest = hashlib.sha256(passage.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100 < TEST_PERCENT


def main() -> None:
    rows = []
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "corpus", "*.csv"))):
        with open(path, newline="", encoding="utf-8") as f:
            rows.extend(csv.DictReader(f))
    out = {False: [], True: []}
    for r in rows:
        out[is_test(r["passage"])].append({k: r[k] for k in FIELDS})
    for test, name in ((False, "train.csv"), (True, "test.csv")):
        with open(os.path.join(ROOT, "data", name), "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
            w.writeheader()
            w.writerows(out[test])
        print(f"data/{name}: {len(out[test])} rows")


if __name__ == "__main__":
    main()
