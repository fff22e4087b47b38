//! Fuzz harnesses shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`, nightly) and the
//! proptest runs and regression tests of the normal test suite (`tests/hostile.rs`, stable).
//!
//! Each harness takes arbitrary bytes, feeds them to one entry point of the library that reads
//! user input, and checks the entry point's documented guarantees. A harness panics only when
//! the library panics or breaks a guarantee; an `Err` from the library is a correct answer.

#![allow(dead_code)]

use std::io::Read;

use geostance::Source;
use geostance::article::{Article, ClassifyOptions};
use geostance::countries::Gazetteer;
use geostance::dataset::{Columns, CsvExamples};
use geostance::features::{Analyzer, Doc, FeatureParams, Mark, TargetMode, Vectorizer};
use geostance::model::persist;
use geostance::pipeline::Locator;
use geostance::text::{Language, normalize, sentences, tokenize};

/// A reader that hands out at most `piece` bytes per call, so UTF-8 sequences and CSV records
/// are split across reads.
struct Trickle<'a> {
    data: &'a [u8],
    piece: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.piece.min(buf.len()).min(self.data.len());
        let (head, tail) = self.data.split_at(n);
        buf[..n].copy_from_slice(head);
        self.data = tail;
        Ok(n)
    }
}

/// Splits off a leading control byte (0 for empty input).
fn control(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((&c, rest)) => (c, rest),
        None => (0, data),
    }
}

/// `geostance::dataset::CsvExamples` on arbitrary bytes: every row or error, never a panic;
/// errors render; target spans fit their text.
pub fn csv(data: &[u8]) {
    let (c, bytes) = control(data);
    let mut cols = Columns::default();
    if c & 1 != 0 {
        cols.group = Some("passage".into());
    }
    let need_label = c & 2 != 0;
    let piece = 1 + usize::from(c >> 2);
    let reader = Trickle { data: bytes, piece };
    let it = match CsvExamples::new(reader, Source::Memory, &cols, need_label) {
        Ok(it) => it,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    for row in it {
        match row {
            Ok(e) => {
                if let Some((a, b)) = e.span {
                    assert!(e.text.get(a..b).is_some(), "span {a}..{b} does not fit");
                }
                // Line 1 is possible: csv counts only `\n`, and a lone `\r` also ends a record.
                assert!(e.line >= 1, "lines are 1-based");
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

/// Tokenizer, normaliser, analyzer (word and character n-grams, context terms with arbitrary
/// marks) and vectorizer on arbitrary text and parameters.
pub fn analyzer(data: &[u8]) {
    let (c, rest) = control(data);
    let (c2, rest) = control(rest);
    let (c3, rest) = control(rest);
    let text = String::from_utf8_lossy(rest);
    let text = text.as_ref();

    // Tokens: in order, non-overlapping, on char boundaries, the slice they say.
    let tokens = tokenize(text);
    let mut last_end = 0;
    for t in &tokens {
        assert!(
            t.start < t.end && t.start >= last_end,
            "token {t:?} out of order"
        );
        assert_eq!(text.get(t.start..t.end), Some(t.text));
        last_end = t.end;
        let _ = normalize(t.text);
    }

    let wmin = 1 + usize::from(c & 3);
    let char_ngrams = match (c >> 2) & 3 {
        0 => None,
        k => Some((usize::from(k), usize::from(k) + usize::from(c2 & 3))),
    };
    let target_mode = [
        TargetMode::None,
        TargetMode::Mention,
        TargetMode::Conjoin,
        TargetMode::PerTarget,
    ][usize::from((c >> 4) & 3)];
    let language = Language::ALL[usize::from(c3) % Language::ALL.len()];
    let Ok(params) = (FeatureParams {
        language,
        stop_words: c & 0x40 != 0,
        word_ngrams: (wmin, wmin + usize::from((c2 >> 2) & 3)),
        char_ngrams,
        context_window: usize::from((c2 >> 4) & 7),
        context_ngrams: usize::from(c2 >> 7) * 2,
        min_df: 1.0,
        target_mode,
        ..FeatureParams::default()
    })
    .check() else {
        return;
    };

    // Marks anywhere (possibly overlapping, unsorted, off char boundaries or past the end):
    // the analyzer documents sorted, non-overlapping marks, but must not panic on others.
    let len = text.len().max(1);
    let marks: Vec<Mark> = rest
        .chunks(2)
        .take(usize::from(c3 >> 5))
        .map(|p| {
            let a = usize::from(p.first().copied().unwrap_or(0)) * 7 % (len + 2);
            let b = a + usize::from(p.get(1).copied().unwrap_or(1) % 16);
            Mark {
                start: a,
                end: b,
                target: a % 2 == 0,
                marker: "<c>",
            }
        })
        .collect();
    let analyzer = Analyzer::new(params.clone());
    let doc = Doc {
        text,
        target: Some("Japan"),
        marks: &marks,
    };
    let terms = analyzer.terms(&doc);
    let plain = analyzer.terms(&Doc::plain(text));
    assert!(plain.iter().all(|t| !t.is_empty()));

    // The vectorizer over the lines of the text: rows are sorted, finite, unit length or empty.
    let docs: Vec<Doc<'_>> = text.lines().map(Doc::plain).take(64).collect();
    if let Ok(v) = Vectorizer::fit(params, &docs) {
        for d in docs.iter().chain(std::iter::once(&doc)) {
            let (idx, val) = v.transform_one(d);
            assert_eq!(idx.len(), val.len());
            assert!(idx.windows(2).all(|w| w[0] < w[1]), "columns not sorted");
            assert!(val.iter().all(|x| x.is_finite()));
            let norm: f32 = val.iter().map(|x| x * x).sum();
            assert!(val.is_empty() || (norm - 1.0).abs() < 1e-3, "norm {norm}");
        }
    }
    drop(terms);
}

/// `text::sentences::split` on arbitrary text: the guarantees in its module docs.
pub fn sentences(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let spans = sentences::split(text);
    let mut last_end = 0;
    for s in &spans {
        assert!(s.start < s.end, "empty span {s:?}");
        assert!(s.start >= last_end, "spans overlap or are out of order");
        let slice = text.get(s.start..s.end).expect("span on char boundaries");
        assert!(!slice.starts_with(char::is_whitespace), "{slice:?}");
        assert!(!slice.ends_with(char::is_whitespace), "{slice:?}");
        last_end = s.end;
    }
    if text.trim().is_empty() {
        assert!(spans.is_empty());
    }
}

/// `Gazetteer::builtin()?.find` and `lookup` on arbitrary text: mentions are sorted,
/// non-overlapping, on char boundaries, and name a known entity.
pub fn countries(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let g = Gazetteer::builtin().expect("the built-in gazetteer loads");
    let found = g.find(text);
    let mut last_end = 0;
    for m in &found {
        assert!(m.start < m.end && m.start >= last_end, "mention {m:?}");
        assert!(
            text.get(m.start..m.end).is_some(),
            "mention {m:?} off char boundary"
        );
        assert!(g.get(m.entity).is_some());
        last_end = m.end;
    }
    let _ = g.lookup(text);
    // The locator built on it (used for training and evaluation rows).
    let locator = Locator::builtin().expect("locator");
    let (marks, _) = locator.marks_from(text, &found, Some(text), None);
    assert!(marks.windows(2).all(|w| w[0].end <= w[1].start));
}

/// The text every loaded model is run on.
const PROBE: &str = "Japan condemned Russia, while India abstained. 日本は制裁 🇯🇵\0 Россия.";

/// `model::persist::from_bytes` on arbitrary bytes; a model that loads must also predict,
/// explain and describe itself without panicking, with finite probabilities.
pub fn model(data: &[u8]) {
    let model = match persist::from_bytes(data, &Source::Memory) {
        Ok(m) => m,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let g = Gazetteer::builtin().expect("gazetteer");
    let article = Article {
        id: "probe".into(),
        text: PROBE.into(),
    };
    let opts = ClassifyOptions {
        evidence: 2,
        explain: 3,
    };
    let r = geostance::article::classify(&model, g, &article, &opts);
    for c in &r.countries {
        for h in c.stance.iter().chain(&c.sentiment) {
            assert!(h.confidence.is_finite(), "confidence {}", h.confidence);
        }
    }
    let locator = Locator::builtin().expect("locator");
    let marks = model.prepare(&locator, PROBE, Some("Japan"), None);
    let docs = [
        Doc {
            text: PROBE,
            target: Some("Japan"),
            marks: &marks,
        },
        Doc::plain(""),
    ];
    for s in model.score_docs(&docs) {
        for (_, p) in &s.heads {
            let sum: f64 = p.iter().sum();
            assert!((sum - 1.0).abs() < 1e-6, "probabilities sum to {sum}");
        }
    }
    let _ = geostance::report::explain_text(&model, 3);
    let _ = geostance::report::info_json(&model);
}

/// Valid model files whose values [`model_patch`] replaces.
const MODEL_SEEDS: [&str; 4] = [
    include_str!("../../fuzz/seeds/model/logistic.json"),
    include_str!("../../fuzz/seeds/model/conjoin.json"),
    include_str!("../../fuzz/seeds/model/per-target.json"),
    include_str!("../../fuzz/seeds/model/tuned.json"),
];

/// Values that break assumptions: zero, negatives, huge and tiny numbers, wrong types.
fn odd_value(k: u8) -> serde_json::Value {
    use serde_json::json;
    match k % 20 {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(1),
        3 => json!(2),
        4 => json!(9),
        5 => json!(21),
        6 => json!(1e308),
        7 => json!(-1e308),
        8 => json!(1e-308),
        9 => json!(u64::MAX),
        10 => json!(4_294_967_296u64),
        11 => json!(""),
        12 => json!("x"),
        13 => json!(null),
        14 => json!([]),
        15 => json!([0, 0]),
        16 => json!([1, 0]),
        17 => json!({}),
        18 => json!(true),
        _ => json!(0.5),
    }
}

/// Visits the values of a JSON document depth-first, counting down `n`; the value reached at
/// zero is replaced (`op` even), or removed from its array or object (`op` odd).
fn patch(v: &mut serde_json::Value, n: &mut usize, op: u8) -> bool {
    use serde_json::Value;
    if *n == 0 {
        *v = odd_value(op / 2);
        return true;
    }
    *n -= 1;
    match v {
        Value::Array(a) => {
            for i in 0..a.len() {
                if *n == 0 && op % 2 == 1 {
                    a.remove(i);
                    return true;
                }
                if patch(&mut a[i], n, op) {
                    return true;
                }
            }
        }
        Value::Object(o) => {
            let keys: Vec<String> = o.keys().cloned().collect();
            for k in keys {
                if *n == 0 && op % 2 == 1 {
                    o.remove(&k);
                    return true;
                }
                if let Some(child) = o.get_mut(&k)
                    && patch(child, n, op)
                {
                    return true;
                }
            }
        }
        _ => {}
    }
    false
}

/// Structure-aware model fuzzing: takes a valid model file and, for each 3-byte group of
/// `data`, replaces or removes one of its values (numbers, strings, arrays, fields), then runs
/// [`model`] on the result. Byte-level mutation rarely turns `"char_ngrams":[2,3]` into
/// `[0,3]`; this reaches such values directly.
pub fn model_patch(data: &[u8]) {
    let (c, rest) = control(data);
    let seed = MODEL_SEEDS[usize::from(c) % MODEL_SEEDS.len()];
    let mut doc: serde_json::Value = serde_json::from_str(seed).expect("seed model is JSON");
    for edit in rest.chunks(3).take(8) {
        let at = usize::from(edit[0]) | usize::from(edit.get(1).copied().unwrap_or(0)) << 8;
        let mut n = at % 400;
        patch(&mut doc, &mut n, edit.get(2).copied().unwrap_or(0));
    }
    let bytes = serde_json::to_vec(&doc).expect("serializes");
    model(&bytes);
}
