//! The fixture articles (tests/fixtures/articles, written by us) through the real binary with the
//! shipped default model: every country the article mentions must be found (and no other), and
//! the article-level stance must match the expected label for most countries. Run with
//! `--nocapture` to see the per-country table.

#[path = "support/run.rs"]
mod run;

use std::collections::BTreeMap;
use std::path::PathBuf;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

struct Expected {
    stance: String,
    sentiment: String,
}

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/articles")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    assert!(v.len() >= 8, "fixture articles missing");
    v
}

fn expected(article: &std::path::Path) -> BTreeMap<String, Expected> {
    let path = article.with_extension("expected.csv");
    let mut r = csv::Reader::from_path(&path).unwrap();
    r.deserialize::<BTreeMap<String, String>>()
        .map(|row| {
            let row = row.unwrap();
            (
                row["iso3"].clone(),
                Expected {
                    stance: row["stance"].clone(),
                    sentiment: row["sentiment"].clone(),
                },
            )
        })
        .collect()
}

#[test]
fn fixture_articles_with_the_shipped_model() {
    let (mut stance_ok, mut stance_n, mut senti_ok, mut senti_n) = (0, 0, 0, 0);
    for article in fixtures() {
        let out = run::success(
            cargo_bin_cmd!("geostance")
                .args(["classify", "--format", "json"])
                .arg(&article),
        );
        let v: Value = serde_json::from_str(
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .next()
                .unwrap(),
        )
        .unwrap();
        let got: BTreeMap<String, &Value> = v["countries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["iso3"].as_str().unwrap().to_string(), c))
            .collect();
        let exp = expected(&article);
        let name = article.file_name().unwrap().to_string_lossy().to_string();
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            exp.keys().collect::<Vec<_>>(),
            "{name}: countries found differ from the expected ones"
        );
        println!("{name}");
        for (iso, e) in &exp {
            let c = got[iso];
            let label = |head: &str| c[head]["label"].as_str().unwrap_or("").to_string();
            let (s, t) = (label("stance"), label("sentiment"));
            if !e.stance.is_empty() {
                stance_n += 1;
                stance_ok += usize::from(s == e.stance);
            } else {
                assert!(c["stance"].is_null(), "{name}: {iso} gets no stance");
            }
            if !e.sentiment.is_empty() {
                senti_n += 1;
                senti_ok += usize::from(t == e.sentiment);
            }
            println!(
                "  {iso:5} expected {:8}/{:8} got {s:8}/{t:8} {}",
                e.stance,
                e.sentiment,
                if s == e.stance {
                    ""
                } else {
                    "<- stance differs"
                }
            );
        }
    }
    println!("stance {stance_ok}/{stance_n}, sentiment {senti_ok}/{senti_n}");
    // The bar is the measured agreement minus a margin; BENCHMARKS.md has the table.
    assert!(
        stance_ok * 100 >= stance_n * 70,
        "stance agreement {stance_ok}/{stance_n} under 70%"
    );
    assert!(
        senti_ok * 100 >= senti_n * 60,
        "sentiment agreement {senti_ok}/{senti_n} under 60%"
    );
}

#[test]
fn shipped_model_is_reproducible_from_data() {
    // The documented command (README: "The shipped model") must give these exact bytes.
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("geostance-default.json.gz");
    run::success(
        cargo_bin_cmd!("geostance")
            .args([
                "train",
                "--data",
                "data/train.csv",
                "--seed",
                "42",
                "--char-ngrams",
                "none",
                "-q",
                "--model",
            ])
            .arg(&model),
    );
    let shipped = std::fs::read("models/geostance-default.json.gz").unwrap();
    assert!(
        std::fs::read(&model).unwrap() == shipped,
        "retraining does not reproduce models/geostance-default.json.gz"
    );
}
