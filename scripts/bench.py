#!/usr/bin/env python3
"""Speed benchmark: geostance against scikit-learn and fastText, on the same files, in one run.

    cargo build --release
    python3 scripts/bench.py --geostance target/release/geostance --out bench-results.md

Four sections (choose with --sections; all by default):

train       Training on SemEval-2016 task 6 train.csv + dev.csv (stance only), vectorizing
            included: wall time (best and median of --repeats runs), CPU time, and test F_avg
            (mean F1 of FAVOR and AGAINST pooled over all test rows) for
              - geostance `train` with its defaults (a separate process; the time includes process
                start, CSV reading and writing the model file), plus single-fit variants;
              - scikit-learn word 1-3 + char_wb 2-5 TF-IDF FeatureUnion + LinearSVC /
                LogisticRegression, one pooled model and one model per target;
              - fastText supervised (wordNgrams=2, 25 epochs, thread=1 and all cores).
throughput  Scoring the SemEval test set replicated to ~100k rows, on one core (taskset -c 0,
            RAYON_NUM_THREADS=1, OMP/BLAS threads 1) and on all cores. geostance's fixed cost
            (process start, model load, gazetteer) is measured on a 1-row file and subtracted.
            The Python systems run in a worker process (this script with --worker) so that
            taskset applies to the whole process and model loading is outside the timer.
scale       A 100k-row synthetic training CSV (sentences sampled from the domain corpus and the
            benchmark train files, lightly perturbed), timed with `/usr/bin/time -v geostance
            train`: wall time, peak RSS, feature count (`geostance info`), for the defaults
            and for the large-data settings (word n-grams, a feature cap, 100 iterations).
classify    `geostance classify --format json` with the shipped default model on ~20 MB of
            article text (the fixture articles, and the shared real article, repeated), on one
            core and on all: MB/s, net of a one-article run.

Everything is written to a temporary directory (deleted at the end unless --keep-tmp); the only
file written elsewhere is --out. Seeds are fixed (--seed). A system whose Python package is
missing is skipped with a note. The machine may be shared: the CPU load seen by other processes
is sampled before each timed run and reported, and CPU time is shown next to wall time.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import glob
import itertools
import json
import os
import pickle
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SCRIPT = os.path.abspath(__file__)
REPO = os.path.dirname(os.path.dirname(SCRIPT))
SEMEVAL = "semeval2016-task6"
REPLICAS = 80  # 1,249 test rows x 80 = 99,920 rows

# ----------------------------------------------------------------------------------------------
# Small helpers


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def read_csv(path: str) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def f_avg(y_true: list[str], y_pred: list[str], favor="FAVOR", against="AGAINST") -> float:
    """SemEval-2016 F_avg: mean of the F1 of FAVOR and AGAINST, pooled over all rows."""
    f1s = []
    for lab in (favor, against):
        tp = sum(1 for t, p in zip(y_true, y_pred) if t == lab and p == lab)
        fp = sum(1 for t, p in zip(y_true, y_pred) if t != lab and p == lab)
        fn = sum(1 for t, p in zip(y_true, y_pred) if t == lab and p != lab)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / 2


def cpu_times() -> tuple[int, int]:
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v), idle


def busy_fraction(interval: float = 0.5) -> float:
    """Fraction of all CPUs busy during `interval` (before our own run starts: other load)."""
    t0, i0 = cpu_times()
    time.sleep(interval)
    t1, i1 = cpu_times()
    return 1.0 - (i1 - i0) / max(1, t1 - t0)


class Quiet:
    """Waits (up to --wait-idle seconds) until other processes leave the CPUs idle, and keeps
    the largest busy fraction seen just before a timed run."""

    def __init__(self, max_wait: float, threshold: float = 0.15):
        self.max_wait = max_wait
        self.threshold = threshold
        self.samples: list[float] = []

    def wait(self) -> float:
        deadline = time.monotonic() + self.max_wait
        b = busy_fraction()
        while b > self.threshold and time.monotonic() < deadline:
            time.sleep(2.0)
            b = busy_fraction()
        self.samples.append(b)
        return b


class Timer:
    """Wall time, our CPU time, and the share of all CPUs that *other* processes used meanwhile
    (from /proc/stat minus our own CPU time): 0 on an idle machine."""

    HZ = os.sysconf("SC_CLK_TCK")

    def __init__(self):
        self.stat0 = cpu_times()
        self.c0 = time.process_time()
        self.t0 = time.perf_counter()

    def stop(self, own_cpu: float | None = None) -> dict:
        wall = time.perf_counter() - self.t0
        cpu = time.process_time() - self.c0 if own_cpu is None else own_cpu
        t1, i1 = cpu_times()
        total = (t1 - self.stat0[0]) / self.HZ
        busy = total - (i1 - self.stat0[1]) / self.HZ
        others = max(0.0, busy - cpu) / total if total > 0 else 0.0
        return {"wall": wall, "cpu": cpu, "others": min(1.0, others)}


def run_timed(cmd: list[str], env: dict | None = None, tmp: str = "/tmp") -> dict:
    """Runs a command; returns wall time, the child's user+sys CPU time, others' load, max RSS."""
    out_path = os.path.join(tmp, "stdout.txt")
    err_path = os.path.join(tmp, "stderr.txt")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        timer = Timer()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        t = timer.stop(ru.ru_utime + ru.ru_stime)
        p.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path, encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    with open(err_path, encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    if p.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} failed ({p.returncode}):\n{stderr[-3000:]}")
    return {
        **t,
        "maxrss_kb": ru.ru_maxrss,
        "stdout": stdout,
        "stderr": stderr,
    }


def summary(runs: list[dict]) -> dict:
    """Best and median wall time, median CPU time, others' load (median and during the best)."""
    walls = [r["wall"] for r in runs]
    best = min(runs, key=lambda r: r["wall"])
    return {"best": best["wall"], "median": statistics.median(walls), "runs": walls,
            "cpu_median": statistics.median(r["cpu"] for r in runs),
            "others_median": statistics.median(r["others"] for r in runs),
            "others_best": best["others"]}


def fmt_s(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def fmt_pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def fmt_int(x: float | None) -> str:
    return "–" if x is None else f"{x:,.0f}"


# ----------------------------------------------------------------------------------------------
# Inputs shared by the Python systems


def pooled_text(row: dict) -> str:
    """Input of a pooled (single) model: the target prepended to the text."""
    return f"{row['target']} : {row['text']}"


_FT_PUNCT = re.compile(r"([.,!?;:()\[\]\"“”‘’…/])")


def ft_prep(text: str) -> str:
    """fastText tokenizes on whitespace only: lower-case and split off punctuation."""
    return " ".join(_FT_PUNCT.sub(r" \1 ", text.lower()).split())


def ft_line(row: dict) -> str:
    return ft_prep(pooled_text(row))


def sk_pipeline(estimator: str, seed: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    union = FeatureUnion(
        [
            ("word", TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, min_df=2)),
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
                ),
            ),
        ]
    )
    clf = (
        LinearSVC(random_state=seed)
        if estimator == "svc"
        else LogisticRegression(max_iter=1000, random_state=seed)
    )
    return Pipeline([("tfidf", union), ("clf", clf)])


class PerTarget:
    """One scikit-learn pipeline per target; predict groups rows by target."""

    def __init__(self, estimator: str, seed: int):
        self.estimator = estimator
        self.seed = seed
        self.models: dict = {}

    def fit(self, rows: list[dict]):
        by: dict[str, list[dict]] = {}
        for r in rows:
            by.setdefault(r["target"], []).append(r)
        for t, rs in sorted(by.items()):
            m = sk_pipeline(self.estimator, self.seed)
            m.fit([r["text"] for r in rs], [r["stance"] for r in rs])
            self.models[t] = m
        return self

    def predict(self, targets: list[str], texts: list[str]) -> list[str]:
        idx: dict[str, list[int]] = {}
        for i, t in enumerate(targets):
            idx.setdefault(t, []).append(i)
        out: list[str] = [""] * len(texts)
        for t, ii in idx.items():
            for i, p in zip(ii, self.models[t].predict([texts[i] for i in ii])):
                out[i] = p
        return out

    def n_features(self) -> int:
        return sum(n_features(m) for m in self.models.values())


def n_features(pipe) -> int:
    return sum(len(v.vocabulary_) for _, v in pipe.named_steps["tfidf"].transformer_list)


# ----------------------------------------------------------------------------------------------
# Section 1: training


GS_TRAIN_VARIANTS = [
    # (label, extra args, note)
    ("defaults", [], "target mode auto (per-target here), calibration on a held-out fifth"),
    (
        "no calibration",
        ["--no-calibrate"],
        "the same models without the calibration fit",
    ),
    (
        "conjoin, no calibration",
        ["--target-mode", "conjoin", "--no-calibrate"],
        "features conjoined with the target instead of one model per target",
    ),
    (
        "word n-grams only",
        ["--char-ngrams", "none"],
        "no character n-grams: the feature family fastText uses (words and word n-grams)",
    ),
]


def bench_train(a, ctx) -> list[dict]:
    bdir = os.path.join(a.benchmarks, SEMEVAL)
    train_files = [os.path.join(bdir, "train.csv"), os.path.join(bdir, "dev.csv")]
    test_file = os.path.join(bdir, "test.csv")
    train_rows = [r for f in train_files for r in read_csv(f)]
    test_rows = read_csv(test_file)
    y_test = [r["stance"] for r in test_rows]
    results = []
    tmp = ctx["tmp"]

    # geostance
    for label, extra, note in GS_TRAIN_VARIANTS:
        model = os.path.join(tmp, f"gs-{len(results)}.json.gz")
        cmd = [a.geostance, "train", "--data", *train_files, "--model", model,
               "--heads", "stance", "-q", *extra]
        log(f"geostance train ({label}) x{a.repeats}")
        runs = []
        for _ in range(a.repeats):
            ctx["quiet"].wait()
            runs.append(run_timed(cmd, tmp=tmp))
        ev = run_timed([a.geostance, "evaluate", "--model", model, "--data", test_file,
                        "--format", "json", "-q"], tmp=tmp)
        info = json.loads(run_timed([a.geostance, "info", "--model", model], tmp=tmp)["stdout"])
        heads = sorted(info["heads"])
        ctx["commands"].append(shlex.join(cmd))
        results.append({
            "system": f"geostance train ({label})",
            **summary(runs),
            "f_avg": json.loads(ev["stdout"])["stance"]["f_avg"],
            "features": info["vocabulary"],
            "note": f"{note}; chose target mode `{info['training']['target_mode']}`; "
                    f"heads: {', '.join(heads)}; {ctx['cores']} threads",
        })
        if label == "defaults":
            ctx["gs_model"] = model
            ctx["gs_default_info"] = info
        if label == "word n-grams only":
            ctx["gs_word_model"] = model
    ctx["commands"].append(
        shlex.join([a.geostance, "evaluate", "--model", "M", "--data", test_file,
                    "--format", "json", "-q"]) + "   # F_avg = .stance.f_avg")

    # scikit-learn
    try:
        import sklearn  # noqa: F401
    except ImportError:
        ctx["notes"].append("scikit-learn is not installed: its rows are skipped.")
    else:
        x_train = [pooled_text(r) for r in train_rows]
        y_train = [r["stance"] for r in train_rows]
        x_test = [pooled_text(r) for r in test_rows]
        for est, est_name in (("svc", "LinearSVC"), ("lr", "LogisticRegression(max_iter=1000)")):
            for per_target in (False, True):
                name = f"scikit-learn TF-IDF word1-3 + char_wb2-5 + {est_name}" + (
                    ", one model per target" if per_target else ", pooled (target prepended)")
                log(f"{name} x{a.repeats}")
                runs = []
                for _ in range(a.repeats):
                    ctx["quiet"].wait()
                    timer = Timer()
                    if per_target:
                        m = PerTarget(est, a.seed).fit(train_rows)
                    else:
                        m = sk_pipeline(est, a.seed).fit(x_train, y_train)
                    runs.append(timer.stop())
                if per_target:
                    pred = m.predict([r["target"] for r in test_rows],
                                     [r["text"] for r in test_rows])
                    nf = m.n_features()
                else:
                    pred = list(m.predict(x_test))
                    nf = n_features(m)
                key = f"sk-{est}-{'pt' if per_target else 'pooled'}"
                with open(os.path.join(tmp, key + ".pkl"), "wb") as f:
                    pickle.dump(m, f)
                ctx["py_models"].append(key)
                results.append({"system": name, **summary(runs),
                                "f_avg": f_avg(y_test, pred), "features": nf,
                                "note": "in-process fit on lists of strings; " + (
                                    "single-threaded" if est == "svc" else
                                    "lbfgs: numpy/BLAS may use every core (CPU s > wall s)")})

    # fastText
    try:
        import fasttext
    except ImportError:
        ctx["notes"].append("fasttext (fasttext-wheel) is not installed: its rows are skipped.")
    else:
        ft_file = os.path.join(tmp, "ft-train.txt")
        for threads in sorted({1, ctx["cores"]}):
            name = f"fastText supervised wordNgrams=2 epoch=25 thread={threads}"
            log(f"{name} x{a.repeats}")
            runs = []
            for _ in range(a.repeats):
                ctx["quiet"].wait()
                timer = Timer()
                with open(ft_file, "w", encoding="utf-8") as f:
                    for r in train_rows:
                        f.write(f"__label__{r['stance']} {ft_line(r)}\n")
                m = fasttext.train_supervised(input=ft_file, wordNgrams=2, epoch=25,
                                              thread=threads, seed=a.seed, verbose=0)
                runs.append(timer.stop())
            labels, _ = m.predict([ft_line(r) for r in test_rows])
            pred = [ls[0].removeprefix("__label__") for ls in labels]
            if threads == 1:  # the model scored in section 2 (its .bin is ~800 MB)
                m.save_model(os.path.join(tmp, "ft-1.bin"))
                ctx["py_models"].append("ft-1")
            results.append({
                "system": name, **summary(runs), "f_avg": f_avg(y_test, pred),
                "features": len(m.words),
                "note": "time includes writing the __label__ file and tokenizing; "
                        "words in the dictionary shown as features (+2M hashed n-gram buckets)"
                        + ("; multi-threaded fastText is not deterministic" if threads > 1 else ""),
            })
    return results


# ----------------------------------------------------------------------------------------------
# Section 2: throughput


def one_core_env() -> dict:
    env = dict(os.environ)
    env.update(RAYON_NUM_THREADS="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               MKL_NUM_THREADS="1")
    return env


def all_cores_env() -> dict:
    env = dict(os.environ)
    for k in ("RAYON_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(k, None)
    return env


def worker_throughput(a) -> None:
    """Runs inside `taskset -c 0` (or not): times predict of each saved Python model."""
    tmp = a.tmp
    rows = read_csv(os.path.join(tmp, "test-100k.csv"))
    keys = a.worker_models.split(",") if a.worker_models else []
    out = {"rows": len(rows), "affinity": sorted(os.sched_getaffinity(0)), "systems": {}}
    pooled = [pooled_text(r) for r in rows]
    for key in keys:
        runs = []
        if key.startswith("sk-"):
            with open(os.path.join(tmp, key + ".pkl"), "rb") as f:
                m = pickle.load(f)
            targets = [r["target"] for r in rows]
            texts = [r["text"] for r in rows]
            for _ in range(a.repeats):
                Quiet(a.wait_idle).wait()
                timer = Timer()
                if isinstance(m, PerTarget):
                    m.predict(targets, texts)
                else:
                    m.predict(pooled)
                runs.append(timer.stop())
            out["systems"][key] = summary(runs)
        elif key.startswith("ft-"):
            import fasttext

            m = fasttext.load_model(os.path.join(tmp, key + ".bin"))
            t0 = time.perf_counter()
            lines = [ft_line(r) for r in rows]
            prep = time.perf_counter() - t0
            for _ in range(a.repeats):
                Quiet(a.wait_idle).wait()
                timer = Timer()
                m.predict(lines)
                runs.append(timer.stop())
            out["systems"][key] = {**summary(runs), "prep": prep}
            test_file = os.path.join(tmp, "ft-test-100k.txt")
            truns = []
            for _ in range(a.repeats):
                Quiet(a.wait_idle).wait()
                timer = Timer()
                m.test(test_file)
                truns.append(timer.stop())
            out["systems"][key + "-test"] = summary(truns)
    print(json.dumps(out))


def core_modes(ctx) -> list[tuple[str, list[str], dict]]:
    """(label, command prefix, environment) for one core and for all cores."""
    return [("1 core", ["taskset", "-c", "0"], one_core_env()),
            (f"all {ctx['cores']} cores", [], all_cores_env())]


def timed_net(a, ctx, cmd: list[str], cmd_one: list[str], env: dict, prefix: list[str]):
    """Runs `cmd_one` (the fixed cost: start, model load, gazetteer) and `cmd` --repeats times
    each on a quiet machine; returns (runs net of the best fixed wall time and the median fixed
    CPU time, the gross runs, the fixed wall time), and records both commands."""
    ones, runs = [], []
    for _ in range(a.repeats):
        ctx["quiet"].wait()
        ones.append(run_timed(cmd_one, env=env, tmp=ctx["tmp"]))
        ctx["quiet"].wait()
        runs.append(run_timed(cmd, env=env, tmp=ctx["tmp"]))
    fixed = min(r["wall"] for r in ones)
    fixed_cpu = statistics.median(r["cpu"] for r in ones)
    envs = "RAYON_NUM_THREADS=1 " if prefix else ""
    ctx["commands"].append(envs + shlex.join(cmd))
    ctx["commands"].append(envs + shlex.join(cmd_one) + "   # fixed cost, subtracted")
    net = [{**r, "wall": r["wall"] - fixed, "cpu": r["cpu"] - fixed_cpu} for r in runs]
    return net, runs, fixed


def bench_throughput(a, ctx) -> list[dict]:
    tmp = ctx["tmp"]
    test_file = os.path.join(a.benchmarks, SEMEVAL, "test.csv")
    test_rows = read_csv(test_file)
    fields = list(test_rows[0].keys())
    big = os.path.join(tmp, "test-100k.csv")
    one = os.path.join(tmp, "test-1row.csv")
    for path, rows in ((big, test_rows * REPLICAS), (one, test_rows[:1])):
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    n = len(test_rows) * REPLICAS
    with open(os.path.join(tmp, "ft-test-100k.txt"), "w", encoding="utf-8") as f:
        for r in test_rows * REPLICAS:
            f.write(f"__label__{r['stance']} {ft_line(r)}\n")

    results = []
    modes = core_modes(ctx)
    bdir = os.path.join(a.benchmarks, SEMEVAL)
    models = []
    for label, key, extra in (("defaults", "gs_model", []),
                              ("word n-grams only", "gs_word_model", ["--char-ngrams", "none"])):
        model = ctx.get(key)
        if model is None:
            model = os.path.join(tmp, f"gs-throughput-{len(models)}.json.gz")
            run_timed([a.geostance, "train", "--data", os.path.join(bdir, "train.csv"),
                       os.path.join(bdir, "dev.csv"), "--model", model, "--heads",
                       "stance", "-q", *extra], tmp=tmp)
        models.append((label, model))
    for (label, model), (mode, prefix, env) in itertools.product(models, modes):
        cmd_big = [*prefix, a.geostance, "evaluate", "--model", model, "--data", big,
                   "--format", "json", "-q"]
        cmd_one = [*prefix, a.geostance, "evaluate", "--model", model, "--data", one,
                   "--format", "json", "-q"]
        log(f"geostance evaluate ({label} model), {mode} x{a.repeats}")
        net, bigs, fixed = timed_net(a, ctx, cmd_big, cmd_one, env, prefix)
        results.append({
            "system": f"geostance evaluate ({label} model)", "mode": mode, "rows": n,
            **summary(net), "gross_best": min(r["wall"] for r in bigs), "fixed": fixed,
            "note": f"net of the 1-row run (best {fixed:.2f} s: start, model load, gazetteer); "
                    f"includes CSV parsing and metrics; gross best "
                    f"{min(r['wall'] for r in bigs):.2f} s",
        })

    wanted = set(a.py_throughput.split(","))
    # fastText's thread count only matters for training: score with the thread=1 model.
    keys = [k for k in ctx["py_models"] if k in wanted or (k == "ft-1" and "ft" in wanted)]
    if keys:
        for mode, prefix, env in modes:
            log(f"Python systems ({', '.join(keys)}), {mode} x{a.repeats}")
            ctx["quiet"].wait()
            cmd = [*prefix, sys.executable, SCRIPT, "--worker", "throughput", "--tmp", tmp,
                   "--worker-models", ",".join(keys), "--repeats", str(a.repeats),
                   "--wait-idle", str(a.wait_idle)]
            r = run_timed(cmd, env=env, tmp=tmp)
            res = json.loads(r["stdout"].strip().splitlines()[-1])
            for key, s in res["systems"].items():
                results.append({"system": PY_NAMES.get(key, key), "mode": mode,
                                "rows": res["rows"], **s, "note": py_note(key, s)})
    return results


CLASSIFY_MB = 20


def classify_corpus(a, tmp: str) -> list[tuple[str, str, int, int]]:
    """(label, jsonl path, articles, bytes): the repository's fixture articles and the shared
    real article, each repeated to about CLASSIFY_MB MB of article text."""
    fixtures = sorted(glob.glob(os.path.join(REPO, "tests", "fixtures", "articles", "*.txt")))
    real = sorted(glob.glob(os.path.join(os.path.dirname(a.benchmarks), "articles", "*.txt")))
    out = []
    for label, files in (("fixture articles (tests/fixtures/articles)", fixtures),
                         ("the real article (../shared/articles)", real)):
        texts = [open(f, encoding="utf-8").read() for f in files]
        if not texts:
            continue
        path = os.path.join(tmp, f"classify-{len(out)}.jsonl")
        n = size = 0
        with open(path, "w", encoding="utf-8") as f:
            while size < CLASSIFY_MB * 1_000_000:
                for t in texts:
                    f.write(json.dumps({"id": str(n), "text": t}) + "\n")
                    n += 1
                    size += len(t.encode("utf-8"))
        out.append((label, path, n, size))
    return out


def bench_classify(a, ctx) -> list[dict]:
    """`geostance classify --format json` on MB of article text, shipped default model: sentence
    splitting, country matching, features and scoring, on one core and on all."""
    tmp = ctx["tmp"]
    results = []
    modes = core_modes(ctx)
    empty = os.path.join(tmp, "classify-empty.jsonl")
    with open(empty, "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "0", "text": "No country here."}) + "\n")
    for (label, path, n, size), (mode, prefix, env) in itertools.product(
            classify_corpus(a, tmp), modes):
        cmd = [*prefix, a.geostance, "classify", "--input", "jsonl", "--format", "json", path]
        cmd_one = [*prefix, a.geostance, "classify", "--input", "jsonl", "--format", "json",
                   empty]
        log(f"geostance classify ({label}), {mode} x{a.repeats}")
        net, _, fixed = timed_net(a, ctx, cmd, cmd_one, env, prefix)
        results.append({"system": f"geostance classify: {label}", "mode": mode,
                        "articles": n, "bytes": size, **summary(net), "fixed": fixed})
    return results


PY_NAMES = {
    "sk-svc-pooled": "scikit-learn LinearSVC pipeline, pooled: `pipeline.predict`",
    "sk-lr-pooled": "scikit-learn LogisticRegression pipeline, pooled: `pipeline.predict`",
    "sk-svc-pt": "scikit-learn LinearSVC pipelines, per target: `predict` per target group",
    "sk-lr-pt": "scikit-learn LogisticRegression pipelines, per target",
    "ft-1": "fastText `model.predict` (list of 100k lines)",
    "ft-1-test": "fastText `model.test` (the __label__ file)",
}


def py_note(key: str, s: dict) -> str:
    if key.startswith("sk-"):
        return "in-process, texts in memory, model loaded before the timer; single-threaded"
    if key.endswith("-test"):
        return "reads and tokenizes the file itself (whitespace); single-threaded"
    return (f"texts pre-tokenized in Python beforehand ({s.get('prep', 0):.2f} s, not timed); "
            "model loaded before the timer; single-threaded")


# ----------------------------------------------------------------------------------------------
# Section 3: scale


COUNTRIES = [
    "United States", "Ukraine", "China", "India", "Hungary", "Turkey", "North Korea", "Belarus",
    "Iran", "Germany", "Brazil", "Japan", "South Africa", "France", "Poland",
    "United Arab Emirates", "Venezuela", "Mali", "Cuba", "Serbia", "Canada", "Kazakhstan",
    "South Korea", "United Kingdom", "Slovakia", "Saudi Arabia", "Israel", "Georgia", "Kenya",
    "Nicaragua", "Burkina Faso", "Armenia", "Niger", "Indonesia", "Central African Republic",
    "Italy", "Algeria", "Syria", "Egypt", "Mexico", "Australia", "Kyrgyzstan", "Senegal",
    "Eritrea", "Vietnam", "Ghana", "Ethiopia", "Uganda", "Argentina", "Czech Republic",
    "Finland", "Bolivia", "Myanmar", "Austria", "Azerbaijan", "Nigeria", "Sudan", "Colombia",
    "Pakistan", "Mongolia", "Moldova", "Sweden", "Uzbekistan", "Switzerland", "Bulgaria",
    "Malaysia", "Lithuania", "Thailand", "New Zealand", "Tajikistan", "Denmark", "Cyprus",
    "Zambia", "Rwanda", "Chile", "Norway", "Estonia", "Latvia", "Romania", "Greece", "Spain",
    "Portugal", "Netherlands", "Belgium", "Ireland", "Croatia", "Slovenia", "Qatar", "Kuwait",
    "Oman", "Jordan", "Lebanon", "Iraq", "Libya", "Tunisia", "Morocco", "Angola", "Mozambique",
    "Tanzania", "Zimbabwe", "Namibia", "Botswana", "Cameroon", "Peru", "Ecuador", "Uruguay",
    "Paraguay", "Bangladesh", "Sri Lanka", "Nepal", "Philippines", "Singapore", "Cambodia",
    "Laos", "Turkmenistan", "Afghanistan", "Albania", "North Macedonia", "Montenegro",
]
_COUNTRY_RE = re.compile(
    r"\b(" + "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True)) + r")\b")
_NUMBER_RE = re.compile(r"\d+")
_CLAUSE_RE = re.compile(r"(?<=[,;])\s+")

# Labels mapped to the domain corpus spelling (see the benchmarks README's mapping table).
_STANCE = {"FAVOR": "favor", "AGAINST": "against", "NONE": "neutral"}
_SENTIMENT = {"POSITIVE": "positive", "NEGATIVE": "negative", "NEITHER": "neutral",
              "6.0": "positive", "2.0": "negative", "4.0": "neutral"}


def perturb(row: dict, rng: random.Random) -> dict:
    """Shuffles clauses, swaps country names (and the target with them), varies numbers."""
    text, target = row["text"], row["target"]
    clauses = _CLAUSE_RE.split(text)
    if len(clauses) > 1 and rng.random() < 0.5:
        end = text.rstrip()[-1:] if text.rstrip()[-1:] in (".", "!", "?") else ""
        rng.shuffle(clauses)
        text = ", ".join(c.strip().rstrip(",;.!?") for c in clauses) + end
        text = text[:1].upper() + text[1:]
    swap: dict[str, str] = {}
    found = sorted(set(_COUNTRY_RE.findall(text)))
    # The target moves with its name only where the text spells it out (not via an alias).
    if target in found and rng.random() < 0.7:
        swap[target] = rng.choice(COUNTRIES)
    for c in found:
        if c not in swap and rng.random() < 0.4:
            swap[c] = rng.choice(COUNTRIES)
    if swap:
        text = _COUNTRY_RE.sub(lambda m: swap.get(m.group(1), m.group(1)), text)
        target = swap.get(target, target)
    if rng.random() < 0.8:
        text = _NUMBER_RE.sub(
            lambda m: str(rng.randint(10 ** (len(m.group()) - 1) if len(m.group()) > 1 else 0,
                                      10 ** len(m.group()) - 1)), text)
    return {"text": text, "target": target, "stance": row["stance"],
            "sentiment": row["sentiment"]}


def scale_sources(a) -> list[tuple[str, list[dict], float]]:
    """(name, rows, sampling weight), labels mapped to against/favor/neutral and
    negative/positive/neutral."""
    out = []
    dom = [{"text": r["text"], "target": r["target"], "stance": r["stance"],
            "sentiment": r["sentiment"]} for r in read_csv(a.domain_train)]
    out.append((a.domain_train, dom, 0.55))

    def mapped(path: str, weight: float):
        if not os.path.exists(path):
            return
        rows = [{"text": r["text"], "target": r["target"],
                 "stance": _STANCE.get(r.get("stance", ""), ""),
                 "sentiment": _SENTIMENT.get(r.get("sentiment", ""), "")}
                for r in read_csv(path)]
        out.append((path, rows, weight))

    mapped(os.path.join(a.benchmarks, SEMEVAL, "train.csv"), 0.15)
    mapped(os.path.join(a.benchmarks, "ruw-russia-ukraine", "train.csv"), 0.15)
    mapped(os.path.join(a.benchmarks, "newsmtsc-rw", "train.csv"), 0.15)
    return out


def make_scale_csv(a, path: str) -> dict:
    rng = random.Random(a.seed)
    sources = scale_sources(a)
    total = sum(w for _, _, w in sources)
    counts = {}
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["text", "target", "stance", "sentiment"],
                           lineterminator="\n")
        w.writeheader()
        for name, rows, weight in sources:
            k = round(a.scale_rows * weight / total) if name != sources[-1][0] else \
                a.scale_rows - sum(counts.values())
            counts[name] = k
            for _ in range(k):
                w.writerow(perturb(rng.choice(rows), rng))
    return counts


def parse_time_v(stderr: str) -> dict:
    out = {}
    for line in stderr.splitlines():
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            v = line.rsplit(": ", 1)[1]
            secs = 0.0
            for part in v.split(":"):
                secs = secs * 60 + float(part)
            out["wall"] = secs
        elif line.startswith("Maximum resident set size"):
            out["maxrss_kb"] = int(line.rsplit(": ", 1)[1])
        elif line.startswith("User time"):
            out["user"] = float(line.rsplit(": ", 1)[1])
        elif line.startswith("System time"):
            out["sys"] = float(line.rsplit(": ", 1)[1])
        elif line.startswith("Minor (reclaiming a frame) page faults"):
            out["minor_faults"] = int(line.rsplit(": ", 1)[1])
    return out


def worker_scale_sklearn(a) -> None:
    """The scikit-learn LinearSVC pipeline on the scale CSV, both heads sharing one vectorizer
    (the way geostance does it); run under /usr/bin/time -v by bench_scale."""
    from sklearn.svm import LinearSVC

    t0 = time.perf_counter()
    rows = read_csv(os.path.join(a.tmp, "scale-100k.csv"))
    union = sk_pipeline("svc", a.seed).named_steps["tfidf"]
    x = union.fit_transform([pooled_text(r) for r in rows])
    for head in ("stance", "sentiment"):
        idx = [i for i, r in enumerate(rows) if r[head]]
        LinearSVC(random_state=a.seed).fit(x[idx], [rows[i][head] for i in idx])
    print(json.dumps({"features": x.shape[1], "seconds": time.perf_counter() - t0}))


def bench_scale(a, ctx) -> list[dict]:
    tmp = ctx["tmp"]
    path = os.path.join(tmp, "scale-100k.csv")
    log(f"writing {a.scale_rows} synthetic rows")
    counts = make_scale_csv(a, path)
    ctx["scale_sources"] = counts
    model = os.path.join(tmp, "scale.json.gz")
    results = []
    # The defaults, and the large-data settings of the domain model (word n-grams, as the shipped
    # model) with a feature cap and an iteration cap.
    variants = [
        ("geostance train (defaults, both heads)", []),
        ("geostance train (word n-grams, 200k features, 100 iterations)",
         ["--char-ngrams", "none", "--max-features", "200000", "--max-iter", "100"]),
    ]
    for label, extra in variants:
        # -v: each stage with its elapsed time on stderr (next to /usr/bin/time's report).
        cmd = ["/usr/bin/time", "-v", a.geostance, "train", "--data", path, "--model", model,
               "-v", *extra]
        ctx["commands"].append(shlex.join(cmd))
        for i in range(a.scale_repeats):
            log(f"{label} on {a.scale_rows} rows ({i + 1}/{a.scale_repeats})")
            ctx["quiet"].wait()
            r = run_timed(cmd, tmp=tmp)
            tv = parse_time_v(r["stderr"])
            trained = [ln for ln in r["stderr"].splitlines() if ln.startswith("trained ")]
            stages = [ln for ln in r["stderr"].splitlines() if ln.startswith("[")]
            info = json.loads(run_timed([a.geostance, "info", "--model", model], tmp=tmp)["stdout"])
            results.append({
                "others": r["others"],
                "rows": a.scale_rows, "wall": tv.get("wall"), "cpu": tv.get("user", 0) +
                tv.get("sys", 0), "sys": tv.get("sys"), "minor_faults": tv.get("minor_faults"),
                "maxrss_kb": tv.get("maxrss_kb"),
                "features": info["vocabulary"], "target_mode": info["training"]["target_mode"],
                "heads": ", ".join(f"{h} ({v['rows']} rows)" for h, v in sorted(info["heads"].items())),
                "trained": trained[-1] if trained else "", "stages": stages,
                "system": label,
            })
    try:
        import sklearn  # noqa: F401
    except ImportError:
        ctx["notes"].append("scikit-learn is not installed: no scale comparison.")
        return results
    if not a.scale_sklearn:
        return results
    log(f"scikit-learn LinearSVC pipeline on {a.scale_rows} rows")
    ctx["quiet"].wait()
    cmd = ["/usr/bin/time", "-v", sys.executable, SCRIPT, "--worker", "scale-sklearn",
           "--tmp", tmp, "--seed", str(a.seed)]
    r = run_timed(cmd, tmp=tmp)
    tv = parse_time_v(r["stderr"])
    res = json.loads(r["stdout"].strip().splitlines()[-1])
    results.append({
        "others": r["others"], "rows": a.scale_rows, "wall": tv.get("wall"),
        "cpu": tv.get("user", 0) + tv.get("sys", 0), "sys": tv.get("sys"),
        "minor_faults": tv.get("minor_faults"), "maxrss_kb": tv.get("maxrss_kb"),
        "features": res["features"], "target_mode": "target prepended to the text",
        "heads": "stance, sentiment: one LinearSVC each on one shared FeatureUnion",
        "system": "scikit-learn TF-IDF word1-3 + char_wb2-5 + LinearSVC (for comparison)",
    })
    return results


# ----------------------------------------------------------------------------------------------
# Report


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "?"


def versions() -> dict:
    v = {"python": platform.python_version()}
    for mod in ("sklearn", "numpy", "scipy", "fasttext"):
        try:
            m = __import__(mod)
            v[mod] = getattr(m, "__version__", None) or _dist_version(mod)
        except ImportError:
            v[mod] = "not installed"
    return v


def _dist_version(mod: str) -> str:
    from importlib import metadata

    for dist in ("fasttext-wheel", "fasttext", mod):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return "?"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def render(a, ctx, train, thr, scale, cls) -> str:
    v = ctx["versions"]
    L = []
    L.append("# geostance speed benchmark\n")
    L.append(f"- date: {ctx['date']}; machine: {cpu_model()}, {ctx['cores']} cores, "
             f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB")
    L.append(f"- geostance: `{a.geostance}` (`{ctx['gs_version']}`), repository HEAD "
             f"`{ctx['commit']}`, last commit touching src/ or Cargo.* `{ctx['src_commit']}`"
             f"{' (src/ has uncommitted changes!)' if ctx['dirty'] else ''}; binary built "
             f"{ctx['binary_mtime']}")
    L.append(f"- Python {v['python']}, scikit-learn {v['sklearn']}, numpy {v['numpy']}, "
             f"scipy {v['scipy']}, fastText {v['fasttext']}")
    L.append(f"- data: `{a.benchmarks}`; repeats: {a.repeats}; seed: {a.seed}")
    if ctx["quiet"].samples:
        s = ctx["quiet"].samples
        L.append(f"- CPU busy with other processes just before a timed run: median "
                 f"{100 * statistics.median(s):.0f}%, max {100 * max(s):.0f}% "
                 f"(over {len(s)} samples; --wait-idle {a.wait_idle:g} s)")
    L.append("")
    if train:
        L.append("## 1. Training on SemEval-2016 task 6 train + dev (2,914 rows, stance only)\n")
        L.append("| system | best s | median s | CPU s (median) | others' load (best run) | "
                 "features | test F_avg | notes |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for r in train:
            L.append(f"| {r['system']} | {fmt_s(r['best'])} | {fmt_s(r['median'])} | "
                     f"{fmt_s(r.get('cpu_median'))} | {fmt_pct(r.get('others_best'))} | "
                     f"{fmt_int(r['features'])} | "
                     f"{100 * r['f_avg']:.2f} | {r['note']} |")
        L.append("")
    if thr:
        L.append(f"## 2. Scoring throughput: SemEval test x {REPLICAS} "
                 f"({thr[0]['rows']:,} rows)\n")
        L.append("| system | cores | best s | median s | CPU s (median) | others' load (best run) "
                 "| rows/s (best wall) | rows/CPU-s | notes |")
        L.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for r in thr:
            cpu = r.get("cpu_median")
            L.append(f"| {r['system']} | {r['mode']} | {fmt_s(r['best'])} | "
                     f"{fmt_s(r['median'])} | {fmt_s(cpu)} | {fmt_pct(r.get('others_best'))} | "
                     f"{fmt_int(r['rows'] / r['best'])} | "
                     f"{fmt_int(r['rows'] / cpu if cpu else None)} | {r['note']} |")
        L.append("")
        L.append("rows/CPU-s divides by user+sys CPU time: on a shared machine it is the less "
                 "disturbed figure; on one core and an idle machine it matches rows/s. "
                 "geostance's CPU time is net of the 1-row run's too.")
        L.append("")
    if cls:
        L.append("## 4. classify throughput (shipped default model)\n")
        L.append("| input | cores | articles | MB | best s | median s | MB/s (best) |")
        L.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for r in cls:
            L.append(f"| {r['system']} | {r['mode']} | {r['articles']:,} | "
                     f"{r['bytes'] / 1e6:.1f} | {fmt_s(r['best'])} | {fmt_s(r['median'])} | "
                     f"{r['bytes'] / 1e6 / r['best']:.1f} |")
        L.append("")
        L.append("Net of a one-article run (start, model load, gazetteer). Includes JSON "
                 "parsing, sentence splitting, country matching, features, scoring and the "
                 "JSON output.")
        L.append("")
    if scale:
        L.append(f"## 3. Scale: geostance train on {a.scale_rows:,} synthetic rows\n")
        L.append("| system | rows | wall s | CPU s (of which sys) | others' load | "
                 "minor page faults | peak RSS KB | features | target mode | heads |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
        for r in scale:
            L.append(f"| {r['system']} | {r['rows']:,} | {fmt_s(r['wall'], 1)} | "
                     f"{fmt_s(r['cpu'], 1)} ({fmt_s(r.get('sys'), 1)}) | "
                     f"{fmt_pct(r.get('others'))} | "
                     f"{fmt_int(r.get('minor_faults'))} | {fmt_int(r['maxrss_kb'])} | "
                     f"{fmt_int(r['features'])} | {r['target_mode']} | {r['heads']} |")
        L.append("")
        stages = [r for r in scale if r.get("stages")]
        if stages:
            L.append("geostance's own stage timings (`train -v`, last run):\n")
            L.append("```")
            L.extend(stages[-1]["stages"])
            L.append(stages[-1]["trained"])
            L.append("```")
            L.append("")
        L.append("Rows sampled per source (then perturbed: clauses shuffled, country names "
                 "swapped, numbers varied): " + "; ".join(
                     f"`{k}` {n:,}" for k, n in ctx["scale_sources"].items()))
        L.append("")
    if ctx["notes"]:
        L.append("## Notes\n")
        L.extend(f"- {n}" for n in ctx["notes"])
        L.append("")
    L.append("## geostance commands\n")
    L.append("```")
    L.extend(ctx["commands"])
    L.append("```")
    L.append("")
    L.append(f"Produced by `python3 {' '.join(shlex.quote(x) for x in sys.argv)}`.")
    return "\n".join(L) + "\n"


# ----------------------------------------------------------------------------------------------


def default_benchmarks() -> str:
    for p in ("/work/shared/benchmarks", os.path.join(REPO, "..", "shared", "benchmarks")):
        if os.path.isdir(os.path.join(p, SEMEVAL)):
            return os.path.abspath(p)
    return "/work/shared/benchmarks"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--geostance", default=os.path.join(REPO, "target", "release", "geostance"),
                   help="the release binary to measure (default: target/release/geostance)")
    p.add_argument("--out", help="write the Markdown report here (it is always printed)")
    p.add_argument("--benchmarks", default=default_benchmarks(),
                   help="folder holding semeval2016-task6/ etc. (default: %(default)s)")
    p.add_argument("--domain-train", default=os.path.join(REPO, "data", "train.csv"),
                   help="domain corpus sampled for the scale test (default: %(default)s)")
    p.add_argument("--sections", default="train,throughput,scale,classify",
                   help="comma-separated subset of train,throughput,scale,classify")
    p.add_argument("--repeats", type=int, default=3, help="timed runs per measurement")
    p.add_argument("--scale-rows", type=int, default=100_000)
    p.add_argument("--scale-repeats", type=int, default=1)
    p.add_argument("--no-scale-sklearn", dest="scale_sklearn", action="store_false",
                   help="skip the scikit-learn run on the scale CSV")
    p.add_argument("--py-throughput", default="sk-svc-pooled,sk-svc-pt,ft",
                   help="Python models whose throughput is measured (sk-{svc,lr}-{pooled,pt}, ft)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--wait-idle", type=float, default=30.0,
                   help="before each timed run, wait up to this many seconds for other "
                        "processes to leave the CPUs idle (0: don't wait)")
    p.add_argument("--keep-tmp", action="store_true", help="keep the temporary directory")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--tmp", help=argparse.SUPPRESS)
    p.add_argument("--worker-models", help=argparse.SUPPRESS)
    a = p.parse_args()

    if a.worker == "throughput":
        worker_throughput(a)
        return
    if a.worker == "scale-sklearn":
        worker_scale_sklearn(a)
        return

    a.geostance = os.path.abspath(a.geostance)
    a.benchmarks = os.path.abspath(a.benchmarks)
    if not os.access(a.geostance, os.X_OK):
        sys.exit(f"no executable at {a.geostance}: run `cargo build --release` or pass "
                 "--geostance")
    if not os.path.isdir(os.path.join(a.benchmarks, SEMEVAL)):
        sys.exit(f"{a.benchmarks}/{SEMEVAL} not found: pass --benchmarks")
    sections = set(a.sections.split(","))
    random.seed(a.seed)

    tmp = tempfile.mkdtemp(prefix="geostance-bench-")
    ctx = {
        "tmp": tmp, "notes": [], "commands": [], "py_models": [],
        "cores": len(os.sched_getaffinity(0)),
        "quiet": Quiet(a.wait_idle),
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": git("rev-parse", "HEAD"),
        "src_commit": git("log", "-1", "--format=%H", "--", "src", "Cargo.toml", "Cargo.lock"),
        "dirty": bool(git("status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock")),
        "gs_version": subprocess.run([a.geostance, "--version"], capture_output=True,
                                     text=True).stdout.strip(),
        "versions": versions(),
        "binary_mtime": datetime.datetime.fromtimestamp(os.path.getmtime(a.geostance))
        .astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }
    log(f"temporary directory {tmp}")
    try:
        train = bench_train(a, ctx) if "train" in sections else []
        thr = bench_throughput(a, ctx) if "throughput" in sections else []
        scale = bench_scale(a, ctx) if "scale" in sections else []
        cls = bench_classify(a, ctx) if "classify" in sections else []
        if train and "gs_default_info" in ctx:
            i = ctx["gs_default_info"]["training"]
            ctx["notes"].append(f"geostance defaults on SemEval: `auto` chose "
                                f"`{i['target_mode']}` ({i['target_mode_reason']}).")
        report = render(a, ctx, train, thr, scale, cls)
    finally:
        if a.keep_tmp:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(report)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(report)
        log(f"wrote {a.out}")


if __name__ == "__main__":
    main()
