//! The published-benchmark claims of BENCHMARKS.md, checked with the real binary.
//!
//! The benchmark files are not in this repository (their terms forbid redistribution). They are
//! read from `../shared/benchmarks` (or `$GEOSTANCE_BENCHMARKS`); when that folder is absent each
//! test prints that it is skipping and passes.

#[path = "support/run.rs"]
mod run;

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

fn benchmarks() -> Option<PathBuf> {
    let dir = std::env::var_os("GEOSTANCE_BENCHMARKS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks"));
    if dir.join("README.md").is_file() {
        Some(dir)
    } else {
        println!(
            "skipping: benchmark folder {} not found (set GEOSTANCE_BENCHMARKS)",
            dir.display()
        );
        None
    }
}

fn train(data: &[PathBuf], model: &Path, extra: &[&str]) {
    run::success(
        cargo_bin_cmd!("geostance")
            .arg("train")
            .arg("--data")
            .args(data)
            .arg("--model")
            .arg(model)
            .arg("-q")
            .args(extra),
    );
}

fn evaluate(model: &Path, data: &Path) -> Value {
    let out = run::success(
        cargo_bin_cmd!("geostance")
            .args(["evaluate", "-q", "--format", "json", "--model"])
            .arg(model)
            .arg("--data")
            .arg(data),
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn semeval_2016_task_6a_pooled_f_avg_with_defaults() {
    let Some(b) = benchmarks() else { return };
    let d = b.join("semeval2016-task6");
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.json");
    train(
        &[d.join("train.csv"), d.join("dev.csv")],
        &model,
        &["--heads", "stance"],
    );
    let r = evaluate(&model, &d.join("test.csv"));
    let f = r["stance"]["f_avg"].as_f64().unwrap();
    println!("SemEval-2016 6A pooled F_avg: {:.2}", f * 100.0);
    assert!(f >= 0.690, "F_avg {f}");
}

#[test]
fn newsmtsc_rw_macro_f1_with_defaults() {
    let Some(b) = benchmarks() else { return };
    let d = b.join("newsmtsc-rw");
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.json");
    train(&[d.join("train.csv")], &model, &[]);
    let r = evaluate(&model, &d.join("test.csv"));
    let f = r["sentiment"]["macro_f1"].as_f64().unwrap();
    println!("NewsMTSC-rw macro-F1: {:.2}", f * 100.0);
    assert!(f >= 0.60, "macro-F1 {f}");
}

/// Keeps the rows of a benchmark CSV whose target is `target`.
fn rows_for(src: &Path, target: &str, dst: &Path) {
    let mut r = csv::Reader::from_path(src).unwrap();
    let mut w = csv::Writer::from_path(dst).unwrap();
    let headers = r.headers().unwrap().clone();
    w.write_record(&headers).unwrap();
    let t = headers.iter().position(|h| h == "target").unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[t] == target {
            w.write_record(&rec).unwrap();
        }
    }
    w.flush().unwrap();
}

#[test]
fn ruw_russia_f_avg_with_tune() {
    let Some(b) = benchmarks() else { return };
    let d = b.join("ruw-russia-ukraine");
    let dir = tempfile::tempdir().unwrap();
    let split = |name: &str| {
        let p = dir.path().join(format!("{name}.csv"));
        rows_for(&d.join(format!("{name}.csv")), "Russia", &p);
        p
    };
    let (tr, dev, test) = (split("train"), split("dev"), split("test"));
    let model = dir.path().join("m.json");
    train(&[tr, dev], &model, &["--tune"]);
    let r = evaluate(&model, &test);
    let f = r["stance"]["f_avg"].as_f64().unwrap();
    println!("RUW (target Russia) F_avg: {:.2}", f * 100.0);
    assert!(f >= 0.55, "F_avg {f}");
}
