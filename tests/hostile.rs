//! Hostile and broken input: no panic, clear errors, nothing lost.
//!
//! - The fuzz harnesses of `fuzz/` (shared in `tests/support/harness.rs`) run here under
//!   proptest on stable Rust, over the committed seeds and generated input; the full libFuzzer
//!   runs are `scripts/fuzz.sh` (nightly).
//! - Every crash the fuzzers found is a `regression_*` test named after the bug.

#[path = "support/harness.rs"]
mod harness;

use std::path::Path;

use proptest::prelude::*;

/// Runs `f` on every committed seed of a fuzz target.
fn run_seeds(target: &str, f: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        f(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n > 0, "no seeds in {}", dir.display());
}

#[test]
fn fuzz_seeds_pass_every_harness() {
    run_seeds("csv", harness::csv);
    run_seeds("analyzer", harness::analyzer);
    run_seeds("sentences", harness::sentences);
    run_seeds("countries", harness::countries);
    run_seeds("model", harness::model);
    run_seeds("model_patch", harness::model_patch);
}

/// Pieces that make text hard: scripts, abbreviations, line breaks, quotes, NUL, emoji,
/// country forms with context rules.
const TEXT_PIECES: &[&str] = &[
    " ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\0",
    ".",
    ". ",
    "!",
    "?",
    "…",
    "...",
    ",",
    ";",
    "\"",
    "“",
    "”",
    "'",
    "’s",
    "(",
    ")",
    "- ",
    "• ",
    "1. ",
    "12) ",
    "Mr.",
    "U.S.",
    "e.g.",
    "etc.",
    "No. 5",
    "3.5",
    "1,200",
    "#SemST",
    "@NATO",
    "Japan",
    "JAPAN",
    "North Korea",
    "Korea",
    "Georgia",
    "Atlanta",
    "Turkey",
    "dinner",
    "Chad",
    "Smith",
    "Washington",
    "Post",
    "US$",
    "Brussels",
    "Belgian",
    "Congo",
    "Brazzaville",
    "the Kremlin",
    "The",
    "sanctioned",
    "abstained",
    "Russia",
    "Россия",
    "日本は制裁",
    "。",
    "，",
    "你好",
    "שלום",
    "ישראל",
    "مرحبا",
    "؟",
    "۔",
    "नमस्ते",
    "।",
    "🇯🇵",
    "🙂",
    "👍🏽",
    "\u{200d}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{301}",
    "İ",
    "K",
    "ß",
    "x",
];

fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TEXT_PIECES), 0..120).prop_map(|v| v.concat())
}

/// Pieces of CSV: structure, column names, labels, offsets and bytes that are not UTF-8.
const CSV_PIECES: &[&[u8]] = &[
    b",",
    b",",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b"text",
    b"target",
    b"stance",
    b"sentiment",
    b"target_start",
    b"target_end",
    b"passage",
    b"Japan",
    b"favor",
    b"against",
    b"0",
    b"3",
    b"99",
    b"-1",
    b"2.0",
    b"1e400",
    b"NaN",
    b" ",
    b"\xff",
    b"\xc3",
    b"\xa9",
    b"\xe2\x80",
    b"\xef\xbb\xbf",
    b"\0",
    "日本".as_bytes(),
    b"\"a,b\nc\"",
];

fn hostile_csv() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<u8>(),
        prop::collection::vec(prop::sample::select(CSV_PIECES), 0..80),
    )
        .prop_map(|(c, v)| {
            let mut out = vec![c];
            out.extend(v.concat());
            out
        })
}

fn with_control(text: String) -> Vec<u8> {
    let mut v = vec![0x35, 0x9a, 0x41];
    v.extend(text.into_bytes());
    v
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn fuzz_csv(data in hostile_csv()) {
        harness::csv(&data);
    }

    #[test]
    fn fuzz_csv_bytes(data in prop::collection::vec(any::<u8>(), 0..300)) {
        harness::csv(&data);
    }

    #[test]
    fn fuzz_analyzer(control in prop::collection::vec(any::<u8>(), 3), text in hostile_text()) {
        let mut data = control;
        data.extend(text.into_bytes());
        harness::analyzer(&data);
    }

    #[test]
    fn fuzz_sentences(text in hostile_text()) {
        harness::sentences(text.as_bytes());
    }

    #[test]
    fn fuzz_countries(text in hostile_text()) {
        harness::countries(text.as_bytes());
    }

    #[test]
    fn fuzz_model_bytes(data in prop::collection::vec(any::<u8>(), 0..200)) {
        harness::model(&data);
    }

    #[test]
    fn fuzz_model_values(data in prop::collection::vec(any::<u8>(), 1..25)) {
        harness::model_patch(&data);
    }
}

#[test]
fn fuzz_text_harnesses_on_plain_odd_strings() {
    for text in [
        "",
        " ",
        "\0\0\0",
        "!!! ... ??? ;;; ---",
        "🙂🙂🙂 👍🏽 🇯🇵🇺🇦",
        "ישראל ומצרים חתמו על הסכם. רוסיה הגיבה.",
        "روسيا واليابان؟ نعم۔",
        "日本はロシアに制裁を科した。中国は棄権した。",
        "Japan\0sanctioned\0Russia.",
    ] {
        harness::sentences(text.as_bytes());
        harness::countries(text.as_bytes());
        harness::analyzer(&with_control(text.to_string()));
    }
}

/// A seed model file with one JSON value replaced.
fn seed_model_with(pointer: &str, value: serde_json::Value) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/model/logistic.json");
    let mut doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    *doc.pointer_mut(pointer).unwrap() = value;
    serde_json::to_vec(&doc).unwrap()
}

fn load_error(bytes: &[u8]) -> String {
    match geostance::model::persist::from_bytes(bytes, &geostance::Source::Memory) {
        Ok(_) => panic!("the damaged model loaded"),
        Err(e) => {
            assert!(
                matches!(e, geostance::Error::ModelCorrupt { .. }),
                "{e:?} is not ModelCorrupt"
            );
            e.to_string()
        }
    }
}

/// fuzz/model_patch crash-06cbb09d: a model file with `char_ngrams: [0, 3]` loaded without the
/// parameter checks, and the analyzer panicked in `windows(0)` ("window size must be
/// non-zero") on the first text: `geostance classify` exited 101 with a backtrace.
#[test]
fn regression_model_char_ngrams_zero_panicked() {
    let bytes = seed_model_with("/features/params/char_ngrams", serde_json::json!([0, 3]));
    let e = load_error(&bytes);
    assert!(e.contains("char_ngrams"), "{e}");
    harness::model(&bytes);
    // A context window of u64::MAX overflowed `t + window` in the analyzer.
    let bytes = seed_model_with(
        "/features/params/context_window",
        serde_json::json!(u64::MAX),
    );
    assert!(load_error(&bytes).contains("context_window"));
}

/// fuzz/model_patch crash-803399ed (`[0x60, 0x28, 0x03, 0xd4]`): an IDF of 1e308 is finite and
/// loaded, but tf × idf overflowed, the row norm became NaN and so did every probability.
#[test]
fn regression_model_huge_idf_gave_nan_probabilities() {
    harness::model_patch(&[0x60, 0x28, 0x03, 0xd4]);
    let bytes = seed_model_with("/features/idf/5", serde_json::json!(1e308));
    assert!(load_error(&bytes).contains("IDF"));
}

/// Finite weights of 1e308 overflowed the scores to infinity and the probabilities to NaN.
#[test]
fn regression_model_huge_weights_gave_nan_probabilities() {
    let bytes = seed_model_with("/heads/stance/model/weights/0", serde_json::json!(1e308));
    assert!(load_error(&bytes).contains("magnitude"));
    let bytes = seed_model_with("/heads/stance/temperature", serde_json::json!(1e-308));
    assert!(load_error(&bytes).contains("temperature"));
}

/// fuzz/model_patch crash-dbee1dba: per-target weights near 1.8e19 tied two classes; the
/// softmax computed `max + ln 2`, which rounds to `max`, and both classes got probability 1.
#[test]
fn regression_model_huge_tied_scores_summed_to_two() {
    harness::model_patch(&[
        0x74, 0x61, 0x69, 0x12, 0x40, 0x60, 0x74, 0x63, 0x69, 0x12, 0x40, 0x60, 0x60, 0x60, 0x40,
        0x60, 0x04, 0x60, 0x60, 0x40, 0x60, 0x04,
    ]);
}

/// Unsorted labels loaded, and label lookups (a binary search) silently missed.
#[test]
fn regression_model_unsorted_labels_are_rejected() {
    let bytes = seed_model_with(
        "/heads/stance/labels",
        serde_json::json!(["neutral", "favor", "against"]),
    );
    assert!(load_error(&bytes).contains("sorted"));
    let bytes = seed_model_with("/heads/stance/class_counts", serde_json::json!([1]));
    assert!(load_error(&bytes).contains("class counts"));
}
