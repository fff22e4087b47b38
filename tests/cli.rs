//! End-to-end runs of the real binary: train, evaluate, cv, explain, info, classify, countries.

#[path = "support/run.rs"]
mod run;

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

const MINI: &str = "tests/fixtures/mini.csv";

fn geostance() -> assert_cmd::Command {
    cargo_bin_cmd!("geostance")
}

fn train_mini(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let model = dir.join(name);
    let mut cmd = geostance();
    cmd.args(["train", "--data", MINI, "--model"])
        .arg(&model)
        .args(["--min-df", "1", "-q"])
        .args(extra);
    let out = run::success(&mut cmd);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("trained sentiment (3 labels, 50 rows) and stance (3 labels, 50 rows)"),
        "{stderr}"
    );
    model
}

#[test]
fn train_evaluate_info_explain_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_mini(dir.path(), "m.json.gz", &[]);
    // The gzip magic: the .gz name asks for a gzipped file.
    let bytes = std::fs::read(&model).unwrap();
    assert_eq!(&bytes[..2], &[0x1f, 0x8b]);

    let out = run::success(
        geostance()
            .args(["evaluate", "--data", MINI, "--format", "json", "--model"])
            .arg(&model),
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for head in ["stance", "sentiment"] {
        let h = &v[head];
        assert_eq!(h["n"], 50);
        for key in [
            "accuracy",
            "macro_f1",
            "weighted_f1",
            "labels",
            "confusion",
            "majority_baseline",
        ] {
            assert!(!h[key].is_null(), "{head}.{key} missing: {h}");
        }
        // Training data: the model fits it well, far above the majority baseline.
        assert!(h["accuracy"].as_f64().unwrap() > 0.9, "{h}");
        assert!(h["majority_baseline"]["accuracy"].as_f64().unwrap() < 0.75);
        assert_eq!(h["majority_baseline"]["label"], "neutral");
        assert_eq!(h["confusion"]["labels"].as_array().unwrap().len(), 3);
    }
    assert!(v["stance"]["f_avg"].as_f64().is_some());
    assert!(v["sentiment"]["f_avg"].is_null());

    let out = geostance()
        .args(["evaluate", "--data", MINI, "--model"])
        .arg(&model)
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("precision    recall  f1-score   support"),
        "{table}"
    );
    assert!(table.contains("rows: true label, columns: predicted label"));
    assert!(table.contains("majority baseline (neutral)"));

    let out = geostance()
        .args(["info", "--model"])
        .arg(&model)
        .output()
        .unwrap();
    let info: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["format"], "geostance-model");
    assert_eq!(info["version"], 1);
    assert_eq!(
        info["heads"]["stance"]["labels"],
        serde_json::json!(["against", "favor", "neutral"])
    );
    assert_eq!(info["training"]["target_mode"], "mention");

    let out = geostance()
        .args(["explain", "--top", "3", "--model"])
        .arg(&model)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("== stance / favor =="), "{text}");
    assert_eq!(text.lines().filter(|l| l.starts_with("== ")).count(), 6);
}

#[test]
fn training_is_deterministic_to_the_byte() {
    let dir = tempfile::tempdir().unwrap();
    let a = train_mini(dir.path(), "a.json", &["--seed", "7"]);
    let b = train_mini(dir.path(), "b.json", &["--seed", "7"]);
    assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    // And with a different thread count.
    let c = dir.path().join("c.json");
    let out = geostance()
        .env("RAYON_NUM_THREADS", "1")
        .args([
            "train", "--data", MINI, "--min-df", "1", "-q", "--seed", "7", "--model",
        ])
        .arg(&c)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read(dir.path().join("a.json")).unwrap(),
        std::fs::read(c).unwrap()
    );
}

#[test]
fn cv_reports_folds_and_mean() {
    let out = run::success(geostance().args([
        "cv", "--data", MINI, "--folds", "3", "--seed", "1", "--min-df", "1", "--format", "json",
        "-q",
    ]));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["stance"]["macro_f1"]["folds"].as_array().unwrap().len(),
        3
    );
    assert!(v["stance"]["macro_f1"]["std"].as_f64().is_some());
    let out = geostance()
        .args(["cv", "--data", MINI, "--folds", "3", "--min-df", "1", "-q"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("mean") && text.contains('±'), "{text}");
}

#[test]
fn classify_gives_each_country_its_own_label() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_mini(dir.path(), "m.json", &[]);
    let article = "Unlike Hungary, which blocked the aid package, Poland pushed hard for it.\n\n\
                   Norway announced a fresh package of air defence systems for Ukraine.";
    let out = run::success(
        geostance()
            .args(["classify", "--format", "json", "--model"])
            .arg(&model)
            .write_stdin(article),
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], "-");
    let countries = v["countries"].as_array().unwrap();
    let get = |iso: &str| {
        countries
            .iter()
            .find(|c| c["iso3"] == iso)
            .unwrap_or_else(|| panic!("{iso}: {v}"))
    };
    assert_eq!(get("HUN")["stance"]["label"], "favor");
    assert_eq!(get("POL")["stance"]["label"], "against");
    assert_eq!(get("NOR")["stance"]["label"], "against");
    let ev = &get("HUN")["evidence"][0];
    let (s, e) = (
        ev["start"].as_u64().unwrap() as usize,
        ev["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&article[s..e], ev["sentence"].as_str().unwrap());
    let scores = get("POL")["stance"]["scores"].as_object().unwrap();
    let sum: f64 = scores.values().map(|x| x.as_f64().unwrap()).sum();
    assert!((sum - 1.0).abs() < 1e-3, "{scores:?}");
}

#[test]
fn classify_formats_and_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_mini(dir.path(), "m.json", &[]);
    // JSON Lines in, one line out per article, in input order; an article without countries is
    // a valid empty result.
    let input = "{\"id\": 1, \"text\": \"Canada expelled Russian diplomats.\"}\n\n{\"id\": \"b\", \"text\": \"It rained all day.\"}\n";
    let out = run::success(
        geostance()
            .args([
                "classify", "--input", "jsonl", "--format", "json", "--model",
            ])
            .arg(&model)
            .write_stdin(input),
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "1");
    assert_eq!(lines[1]["id"], "b");
    assert_eq!(lines[1]["countries"], serde_json::json!([]));
    // CSV out.
    let out = geostance()
        .args(["classify", "--input", "jsonl", "--format", "csv", "--model"])
        .arg(&model)
        .write_stdin(input)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("id,country,iso3,mentions,stance,stance_confidence,sentiment,sentiment_confidence,evidence\n"), "{text}");
    assert!(text.contains("1,Canada,CAN,1,"), "{text}");
    // A folder of .txt files, sorted.
    let folder = dir.path().join("articles");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("b.txt"), "Latvia banned Russian channels.").unwrap();
    std::fs::write(folder.join("a.txt"), "Mongolia abstained.").unwrap();
    let out = geostance()
        .args(["classify", "--format", "table", "--model"])
        .arg(&model)
        .arg(&folder)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let a = text.find("a.txt").unwrap();
    let b = text.find("b.txt").unwrap();
    assert!(a < b, "{text}");
    assert!(text.contains("Latvia") && text.contains("Mongolia"));
}

#[test]
fn countries_lists_mentions_with_offsets() {
    let text = "North Korea's shells reached Russia via the Kremlin's allies; Georgia's Tbilisi protested.";
    let out = geostance()
        .args(["countries", "--format", "json"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let codes: Vec<&str> = rows.iter().map(|r| r["iso3"].as_str().unwrap()).collect();
    assert_eq!(codes, ["PRK", "RUS", "RUS", "GEO", "GEO"]);
    for r in &rows {
        let (s, e) = (
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], r["form"].as_str().unwrap());
    }
}
