#!/bin/bash
# Re-runs every row of the "Published benchmarks" tables in BENCHMARKS.md: one train and one
# evaluate each, on the public benchmarks (not in this repository). Usage, after
# `cargo build --release`:  scripts/published_benchmarks.sh [BENCHMARKS_DIR]   (default ../shared/benchmarks)
set -euo pipefail
G=${GEOSTANCE:-target/release/geostance}
B=${1:-../shared/benchmarks}
T0=$(mktemp -d); trap "rm -rf $T0" EXIT; G=$(realpath "$G"); B=$(realpath "$B"); cd "$T0"
ev() { $G evaluate --model $1 --data $2 --format json | python3 -c "
import json,sys;d=json.load(sys.stdin)[sys.argv[1]]
print(f\"{sys.argv[2]:45} acc {d['accuracy']*100:.2f} mF1 {d['macro_f1']*100:.2f} Favg {d['f_avg']*100 if d['f_avg'] is not None else float('nan'):.2f} \", ' '.join(f\"{l['label']}:{l['f1']*100:.2f}\" for l in d['labels']))" $3 "$4"; }
S=$B/semeval2016-task6
$G train -q --data $S/train.csv $S/dev.csv --heads stance --model se-def.json; ev se-def.json $S/test.csv stance "SemEval defaults"
$G train -q --data $S/train.csv $S/dev.csv --heads stance --target-mode conjoin --model se-conj.json; ev se-conj.json $S/test.csv stance "SemEval conjoin"
$G train -q --data $S/train.csv $S/dev.csv --heads stance --tune --model se-tune.json; ev se-tune.json $S/test.csv stance "SemEval tune"
$G train -q --data $S/train.csv $S/dev.csv --heads stance --estimator naive-bayes --model se-nb.json; ev se-nb.json $S/test.csv stance "SemEval NB"
TE=$B/tweeteval-stance
$G train -q --data $TE/train.csv $TE/dev.csv --heads stance --model te-def.json; ev te-def.json $TE/test.csv stance "TweetEval defaults"
$G train -q --data $TE/train.csv $TE/dev.csv --heads stance --target-mode conjoin --model te-conj.json; ev te-conj.json $TE/test.csv stance "TweetEval conjoin"
N=$B/newsmtsc-rw
$G train -q --data $N/train.csv --model nm-def.json; ev nm-def.json $N/test.csv sentiment "NewsMTSC defaults"
$G train -q --data $N/train.csv --tune --model nm-tune.json; ev nm-tune.json $N/test.csv sentiment "NewsMTSC tune"
R=$B/ruw-russia-ukraine
for s in train dev test; do python3 -c "
import csv,sys
r=csv.DictReader(open('$R/$s.csv')); w=csv.DictWriter(open('ruw-$s.csv','w'),fieldnames=r.fieldnames,lineterminator='\n'); w.writeheader()
[w.writerow(x) for x in r if x['target']=='Russia']"; done
$G train -q --data ruw-train.csv ruw-dev.csv --model ruw-def.json; ev ruw-def.json ruw-test.csv stance "RUW defaults"
$G train -q --data ruw-train.csv ruw-dev.csv --tune --model ruw-tune.json; ev ruw-tune.json ruw-test.csv stance "RUW tune"
