//! The corpus checker: label balance, countries covered, multi-country share, near-duplicates,
//! gazetteer coverage of the targets, and the passage split. Run it with
//! `cargo test --test corpus -- --nocapture` to see the report.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use geostance::countries::{EntityKind, Gazetteer};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Row {
    text: String,
    target: String,
    stance: String,
    sentiment: String,
    passage: String,
}

fn read(path: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        ["text", "target", "stance", "sentiment", "passage"],
        "{}",
        path.display()
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            Row {
                text: rec[0].to_string(),
                target: rec[1].to_string(),
                stance: rec[2].to_string(),
                sentiment: rec[3].to_string(),
                passage: rec[4].to_string(),
            }
        })
        .collect()
}

fn corpus() -> Vec<Row> {
    let mut files: Vec<_> = std::fs::read_dir("data/corpus")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    files.iter().flat_map(|p| read(p)).collect()
}

fn trigrams(text: &str) -> HashSet<[String; 3]> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words
        .windows(3)
        .map(|w| [w[0].clone(), w[1].clone(), w[2].clone()])
        .collect()
}

#[test]
fn corpus_meets_the_data_card() {
    let rows = corpus();
    let n = rows.len();
    let g = Gazetteer::builtin().unwrap();
    println!("rows: {n}");
    assert!(n >= 5000, "at least 5,000 rows, found {n}");

    // Labels.
    for (name, allowed, get) in [
        (
            "stance",
            ["against", "favor", "neutral"],
            (|r: &Row| r.stance.clone()) as fn(&Row) -> String,
        ),
        (
            "sentiment",
            ["negative", "neutral", "positive"],
            |r: &Row| r.sentiment.clone(),
        ),
    ] {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for r in &rows {
            *counts.entry(get(r)).or_default() += 1;
        }
        println!("{name}: {counts:?}");
        for (label, c) in &counts {
            assert!(allowed.contains(&label.as_str()), "{name} label '{label}'");
            if name == "stance" {
                assert!(
                    *c as f64 >= 0.2 * n as f64,
                    "stance '{label}' is {c} rows, under 20%"
                );
            }
        }
    }

    // Targets resolve, and are found in their own sentence.
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut countries = BTreeSet::new();
    let mut not_found = Vec::new();
    for r in &rows {
        let id = g
            .lookup(&r.target)
            .unwrap_or_else(|| panic!("target '{}' is not in the gazetteer", r.target));
        let e = g.entity(id);
        *codes.entry(e.code.clone()).or_default() += 1;
        if e.kind == EntityKind::Country {
            countries.insert(e.code.clone());
        }
        if !g.find(&r.text).iter().any(|m| m.entity == id) {
            not_found.push(format!("{} | {}", r.target, r.text));
        }
    }
    println!(
        "countries covered: {}, entities: {}",
        countries.len(),
        codes.len()
    );
    assert!(
        countries.len() >= 120,
        "at least 120 countries, found {}",
        countries.len()
    );
    for bloc in ["EU", "NATO", "ASEAN", "AU", "G7", "G20", "BRICS"] {
        assert!(codes.contains_key(bloc), "bloc {bloc} missing");
    }
    assert!(!codes.contains_key("RUS"), "Russia is never a target");
    println!(
        "targets the gazetteer does not find in their sentence: {}",
        not_found.len()
    );
    for s in not_found.iter().take(20) {
        println!("  {s}");
    }
    assert!(
        not_found.len() * 100 <= n,
        "over 1% of rows name their target in a form the gazetteer misses"
    );

    // Multi-country sentences with different labels.
    let mut by_text: HashMap<&str, Vec<&Row>> = HashMap::new();
    for r in &rows {
        by_text.entry(&r.text).or_default().push(r);
    }
    let multi: usize = by_text
        .values()
        .filter(|v| {
            v.len() >= 2
                && v.iter()
                    .map(|r| (&r.stance, &r.sentiment))
                    .collect::<HashSet<_>>()
                    .len()
                    >= 2
        })
        .map(Vec::len)
        .sum();
    println!(
        "rows from multi-country sentences with different labels: {multi} ({:.1}%)",
        100.0 * multi as f64 / n as f64
    );
    assert!(
        multi * 4 >= n,
        "at least 25% of rows from multi-country sentences with different labels"
    );
    // One sentence, one passage.
    for (t, v) in &by_text {
        assert!(
            v.iter().all(|r| r.passage == v[0].passage),
            "sentence in two passages: {t}"
        );
    }

    // Near-duplicates: word 3-gram Jaccard >= 0.8 between different sentences.
    let texts: Vec<&str> = {
        let mut t: Vec<&str> = by_text.keys().copied().collect();
        t.sort();
        t
    };
    let grams: Vec<HashSet<[String; 3]>> = texts.iter().map(|t| trigrams(t)).collect();
    let mut index: HashMap<&[String; 3], Vec<usize>> = HashMap::new();
    for (i, g) in grams.iter().enumerate() {
        for x in g {
            index.entry(x).or_default().push(i);
        }
    }
    let mut dup_texts = BTreeSet::new();
    for (i, g) in grams.iter().enumerate() {
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for x in g {
            for &j in &index[x] {
                if j > i {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        for (j, inter) in shared {
            let union = g.len() + grams[j].len() - inter;
            if union > 0 && inter as f64 / union as f64 >= 0.8 {
                dup_texts.insert(i);
                dup_texts.insert(j);
            }
        }
    }
    let dup_rows: usize = dup_texts.iter().map(|&i| by_text[texts[i]].len()).sum();
    println!(
        "rows in near-duplicate pairs: {dup_rows} ({:.2}%)",
        100.0 * dup_rows as f64 / n as f64
    );
    assert!(
        dup_rows * 50 < n,
        "near-duplicates must stay under 2% of rows"
    );
}

#[test]
fn train_and_test_are_the_corpus_split_by_passage() {
    let mut all = corpus();
    let train = read(Path::new("data/train.csv"));
    let test = read(Path::new("data/test.csv"));
    let train_p: HashSet<&str> = train.iter().map(|r| r.passage.as_str()).collect();
    let test_p: HashSet<&str> = test.iter().map(|r| r.passage.as_str()).collect();
    assert!(train_p.is_disjoint(&test_p), "a passage is on both sides");
    let mut both: Vec<Row> = train.iter().chain(&test).cloned().collect();
    all.sort();
    both.sort();
    assert!(
        all == both,
        "data/train.csv + data/test.csv differ from data/corpus: run scripts/split_corpus.py"
    );
    println!("train {} rows / test {} rows", train.len(), test.len());
    assert!(
        test.len() * 10 >= all.len(),
        "the test split holds at least 10% of rows"
    );
}
