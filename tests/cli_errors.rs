//! The real `geostance` binary on a table of bad inputs. Each case runs in a fresh folder and
//! checks the exit code (1 runtime error, 2 usage), that the message names the file and the
//! place (line, column, byte) and says what was expected, and that nothing was left behind:
//! no model, no partial file, no temporary file.

#[path = "support/run.rs"]
mod run;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::cargo::cargo_bin_cmd;

/// The fixture every test model is trained from: 36 made-up labeled sentences.
const TINY_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiny.csv");

/// A small model trained once per test run (plain JSON and gzipped).
fn models() -> &'static (PathBuf, PathBuf) {
    static MODELS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    MODELS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_errors");
        std::fs::create_dir_all(&dir).unwrap();
        let plain = dir.join("tiny.json");
        let gz = dir.join("tiny.json.gz");
        for path in [&plain, &gz] {
            cargo_bin_cmd!("geostance")
                .args(["train", "-q", "--data", TINY_CSV, "--model"])
                .arg(path)
                .args(["--no-calibrate"])
                .assert()
                .success();
        }
        (plain, gz)
    })
}

/// One bad input.
struct Case {
    /// What the case is.
    name: &'static str,
    /// Files to create in the case's folder (a name ending in `/` is a folder).
    files: Vec<(&'static str, Vec<u8>)>,
    /// Arguments; `{model}` and `{model.gz}` are the trained test models.
    args: &'static [&'static str],
    /// Standard input.
    stdin: &'static [u8],
    /// Expected exit code.
    code: i32,
    /// Strings the standard error must contain.
    stderr: &'static [&'static str],
    /// Strings the standard output must contain (what was done before the error).
    stdout: &'static [&'static str],
}

impl Default for Case {
    fn default() -> Self {
        Case {
            name: "",
            files: Vec::new(),
            args: &[],
            stdin: b"",
            code: 1,
            stderr: &[],
            stdout: &[],
        }
    }
}

fn file(name: &'static str, bytes: impl Into<Vec<u8>>) -> (&'static str, Vec<u8>) {
    (name, bytes.into())
}

/// The names in a folder, recursively (relative paths).
fn listing(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            if p.is_dir() {
                stack.push(p.clone());
                out.insert(format!("{rel}/"));
            } else {
                out.insert(rel);
            }
        }
    }
    out
}

fn run(case: &Case) {
    let (model, model_gz) = models();
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in &case.files {
        let path = dir.path().join(name);
        if name.ends_with('/') {
            std::fs::create_dir_all(&path).unwrap();
        } else {
            std::fs::write(&path, bytes).unwrap();
        }
    }
    let before = listing(dir.path());
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| {
            a.replace("{model.gz}", &model_gz.display().to_string())
                .replace("{model}", &model.display().to_string())
        })
        .collect();
    let mut cmd = cargo_bin_cmd!("geostance");
    cmd.current_dir(dir.path()).args(&args);
    cmd.write_stdin(case.stdin);
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(case.code),
        "{}: exit code; stderr: {stderr}",
        case.name
    );
    for s in case.stderr {
        assert!(
            stderr.contains(s),
            "{}: stderr lacks {s:?}:\n{stderr}",
            case.name
        );
    }
    for s in case.stdout {
        assert!(
            stdout.contains(s),
            "{}: stdout lacks {s:?}:\n{stdout}",
            case.name
        );
    }
    if case.code != 2 {
        assert!(
            !stderr.contains("panicked") && stderr.starts_with("error: "),
            "{}: {stderr}",
            case.name
        );
    }
    assert_eq!(
        listing(dir.path()),
        before,
        "{}: files were left behind",
        case.name
    );
}

/// Bytes that are not UTF-8: Latin-1 `é`.
const E_LATIN1: u8 = 0xe9;

fn latin1(before: &str, after: &str) -> Vec<u8> {
    let mut v = before.as_bytes().to_vec();
    v.push(E_LATIN1);
    v.extend_from_slice(after.as_bytes());
    v
}

#[test]
fn bad_csv_input() {
    let short = "text,target,stance\n\"ok\",Japan,favor\n\"bad\",Japan\n";
    for case in [
        Case {
            name: "malformed CSV row (train)",
            files: vec![file("short.csv", short)],
            args: &["train", "--data", "short.csv", "--model", "out.json"],
            stderr: &[
                "short.csv: line 3, column 3",
                "malformed CSV: expected 3 fields like the header, found 2",
            ],
            ..Case::default()
        },
        Case {
            name: "malformed CSV row (evaluate)",
            files: vec![file("short.csv", short)],
            args: &["evaluate", "--model", "{model}", "--data", "short.csv"],
            stderr: &["short.csv: line 3, column 3", "expected 3 fields"],
            ..Case::default()
        },
        Case {
            name: "missing column",
            files: vec![file("nocol.csv", "body,stance\na,favor\n")],
            args: &["train", "--data", "nocol.csv", "--model", "out.json"],
            stderr: &[
                "nocol.csv: line 1: column 'text' not found",
                "the header has: body,stance",
                "--text-col",
            ],
            ..Case::default()
        },
        Case {
            name: "no label column",
            files: vec![file("nolabel.csv", "text,target\na,Japan\n")],
            args: &["evaluate", "--model", "{model}", "--data", "nolabel.csv"],
            stderr: &["nolabel.csv: line 1: column 'stance' or 'sentiment' not found"],
            ..Case::default()
        },
        Case {
            name: "empty file",
            files: vec![file("empty.csv", "")],
            args: &["train", "--data", "empty.csv", "--model", "out.json"],
            stderr: &["empty.csv: the file is empty", "expected a CSV header"],
            ..Case::default()
        },
        Case {
            name: "header only",
            files: vec![file("header.csv", "text,stance\n")],
            args: &["train", "--data", "header.csv", "--model", "out.json"],
            stderr: &["header.csv: the file has a header but no rows"],
            ..Case::default()
        },
        Case {
            name: "label the model never saw",
            files: vec![file(
                "unk.csv",
                "text,target,stance\n\"Japan sanctioned Russia\",Japan,favor\n\"x\",Japan,FAVOUR\n",
            )],
            args: &["evaluate", "--model", "{model}", "--data", "unk.csv"],
            stderr: &[
                "unk.csv: line 3: stance label 'FAVOUR' is not one the model knows (against, favor, neutral)",
            ],
            ..Case::default()
        },
        Case {
            name: "target offsets outside the text",
            files: vec![file(
                "offsets.csv",
                "text,target,stance,target_start,target_end\nabc,Japan,favor,2,9\n",
            )],
            args: &["evaluate", "--model", "{model}", "--data", "offsets.csv"],
            stderr: &[
                "offsets.csv: line 2, column 4",
                "target offsets 2..9 do not fit the text (3 characters)",
            ],
            ..Case::default()
        },
        Case {
            name: "text over the 1 MiB row limit",
            files: vec![file(
                "long.csv",
                format!("stance,text\nfavor,\"{}\"\n", "word ".repeat(220_000)),
            )],
            args: &["train", "--data", "long.csv", "--model", "out.json"],
            stderr: &["long.csv: line 2, column 2: the text is larger than 1 MiB"],
            ..Case::default()
        },
        Case {
            name: "CSV that is not UTF-8 (train)",
            files: vec![file(
                "latin1.csv",
                latin1("text,stance\n\"ok\",favor\n\"caf", "\",favor\n"),
            )],
            args: &["train", "--data", "latin1.csv", "--model", "out.json"],
            stderr: &[
                "latin1.csv: line 3, column 5 (byte 27): the input is not valid UTF-8",
                "expected UTF-8 text",
            ],
            ..Case::default()
        },
        Case {
            name: "CSV that is not UTF-8 (evaluate, from standard input)",
            args: &["evaluate", "--model", "{model}", "--data", "-"],
            stdin: b"text,stance\nok,favor\ncaf\xe9,favor\n",
            stderr: &["<stdin>: line 3, column 4 (byte 24): the input is not valid UTF-8"],
            ..Case::default()
        },
    ] {
        run(&case);
    }
}

#[test]
fn bad_model_files() {
    let (plain, gz) = models();
    let plain = std::fs::read(plain).unwrap();
    let gz = std::fs::read(gz).unwrap();
    let v7 =
        String::from_utf8(plain.clone())
            .unwrap()
            .replacen("\"version\":1", "\"version\":7", 1);
    for case in [
        Case {
            name: "model of another format",
            files: vec![file("other.json", r#"{"format":"other","version":1}"#)],
            args: &["classify", "--model", "other.json", "-"],
            stderr: &[
                "other.json: not a geostance model: found format 'other', expected 'geostance-model'",
            ],
            ..Case::default()
        },
        Case {
            name: "a CSV file given as the model",
            files: vec![file("data.csv", "text,stance\na,favor\n")],
            args: &["classify", "--model", "data.csv", "-"],
            stderr: &["data.csv: not a geostance model: found format 'not JSON'"],
            ..Case::default()
        },
        Case {
            name: "model of another version",
            files: vec![file("v7.json", v7)],
            args: &["info", "--model", "v7.json"],
            stderr: &[
                "v7.json: model format version 7 is not supported; this build reads version 1",
            ],
            ..Case::default()
        },
        Case {
            name: "truncated model (plain)",
            files: vec![file("cut.json", plain[..plain.len() / 2].to_vec())],
            args: &["classify", "--model", "cut.json", "-"],
            stderr: &["cut.json: the model file is damaged: the file ends early (truncated?)"],
            ..Case::default()
        },
        Case {
            name: "truncated model (gzip)",
            files: vec![file("cut.json.gz", gz[..gz.len() / 2].to_vec())],
            args: &["evaluate", "--model", "cut.json.gz", "--data", TINY_CSV],
            stderr: &[
                "cut.json.gz: the model file is damaged: the file ends early (truncated?): gzip",
            ],
            ..Case::default()
        },
        Case {
            name: "empty model file",
            files: vec![file("empty.json", "")],
            args: &["explain", "--model", "empty.json"],
            stderr: &["empty.json: the model file is damaged: the file is empty"],
            ..Case::default()
        },
        Case {
            name: "damaged model values",
            files: vec![file(
                "damaged.json",
                String::from_utf8(plain.clone()).unwrap().replacen(
                    "\"char_ngrams\":[2,5]",
                    "\"char_ngrams\":[0,5]",
                    1,
                ),
            )],
            args: &["classify", "--model", "damaged.json", "-"],
            stderr: &["damaged.json: the model file is damaged: invalid char_ngrams = 0-5"],
            ..Case::default()
        },
        Case {
            name: "missing model file",
            args: &["classify", "--model", "missing.json", "-"],
            stderr: &["missing.json: No such file or directory"],
            ..Case::default()
        },
        Case {
            name: "folder given as the model",
            files: vec![file("adir/", "")],
            args: &["classify", "--model", "adir", "-"],
            stderr: &["adir: is a folder: expected a model file"],
            ..Case::default()
        },
    ] {
        run(&case);
    }
}

#[test]
fn bad_articles() {
    for case in [
        Case {
            name: "article that is not UTF-8",
            files: vec![file(
                "latin1.txt",
                latin1("Japan sanctioned\nRussia caf", "."),
            )],
            args: &["classify", "--model", "{model}", "latin1.txt"],
            stderr: &["latin1.txt: line 2, column 11 (byte 27): the input is not valid UTF-8"],
            ..Case::default()
        },
        Case {
            name: "JSON Lines that are not UTF-8: the first record is still classified",
            files: vec![file(
                "latin1.jsonl",
                latin1(
                    "{\"id\":\"first\",\"text\":\"Japan sanctioned Russia.\"}\n{\"id\":2,\"text\":\"caf",
                    "\"}\n",
                ),
            )],
            args: &[
                "classify",
                "--model",
                "{model}",
                "--input",
                "jsonl",
                "--format",
                "json",
                "latin1.jsonl",
            ],
            stderr: &["latin1.jsonl: line 2, column 20 (byte 68): the input is not valid UTF-8"],
            stdout: &["\"id\":\"first\""],
            ..Case::default()
        },
        Case {
            name: "bad JSON Lines line",
            files: vec![file(
                "bad.jsonl",
                "{\"id\":1,\"text\":\"Japan sanctioned Russia.\"}\n\n{\"id\":2,\"text\": nope}\n",
            )],
            args: &[
                "classify",
                "--model",
                "{model}",
                "--input",
                "jsonl",
                "--format",
                "json",
                "bad.jsonl",
            ],
            stderr: &[
                "bad.jsonl: line 3, column 18: invalid JSON: expected ident",
                "expected one object like {\"id\": ..., \"text\": ...} per line",
            ],
            stdout: &["\"id\":\"1\""],
            ..Case::default()
        },
        Case {
            name: "JSON Lines without the text field",
            files: vec![file("notext.jsonl", "{\"id\":1,\"body\":\"x\"}\n")],
            args: &[
                "classify",
                "--model",
                "{model}",
                "--input",
                "jsonl",
                "notext.jsonl",
            ],
            stderr: &[
                "notext.jsonl: line 1: invalid JSON: no string field 'text' (rename it with --text-field)",
            ],
            ..Case::default()
        },
        Case {
            name: "CSV articles that are not UTF-8",
            files: vec![file("latin1.csv", latin1("id,text\n1,caf", "\n"))],
            args: &[
                "classify",
                "--model",
                "{model}",
                "--input",
                "csv",
                "latin1.csv",
            ],
            stderr: &["latin1.csv: line 2, column 6 (byte 13): the input is not valid UTF-8"],
            ..Case::default()
        },
        Case {
            name: "missing article",
            args: &["classify", "--model", "{model}", "missing.txt"],
            stderr: &["missing.txt: No such file or directory"],
            ..Case::default()
        },
        Case {
            name: "countries: not UTF-8",
            files: vec![file("latin1.txt", latin1("Japan caf", ""))],
            args: &["countries", "latin1.txt"],
            stderr: &["latin1.txt: line 1, column 10 (byte 9): the input is not valid UTF-8"],
            ..Case::default()
        },
    ] {
        run(&case);
    }
}

#[test]
fn bad_paths_and_usage() {
    for case in [
        Case {
            name: "unknown flag",
            args: &["classify", "--bogus"],
            code: 2,
            stderr: &["unexpected argument '--bogus'"],
            ..Case::default()
        },
        Case {
            name: "missing required argument",
            args: &["train", "--data", "x.csv"],
            code: 2,
            stderr: &["--model <OUT>"],
            ..Case::default()
        },
        Case {
            name: "bad value",
            args: &[
                "train",
                "--data",
                "x.csv",
                "--model",
                "m.json",
                "--seed",
                "minus one",
            ],
            code: 2,
            stderr: &["invalid value 'minus one' for '--seed <SEED>'"],
            ..Case::default()
        },
        Case {
            name: "no command",
            args: &[],
            code: 2,
            stderr: &["Usage:"],
            ..Case::default()
        },
        Case {
            name: "missing data file",
            args: &["evaluate", "--model", "{model}", "--data", "missing.csv"],
            stderr: &["missing.csv: No such file or directory"],
            ..Case::default()
        },
        Case {
            name: "folder given as the data file",
            files: vec![file("adir/", "")],
            args: &["train", "--data", "adir", "--model", "out.json"],
            stderr: &["adir: is a folder: expected a file"],
            ..Case::default()
        },
        Case {
            name: "output path in a missing folder",
            args: &["train", "--data", TINY_CSV, "--model", "nofolder/m.json"],
            stderr: &["nofolder/m.json: cannot write the file: the folder nofolder does not exist"],
            ..Case::default()
        },
        Case {
            name: "output path that is a folder",
            files: vec![file("adir/", "")],
            args: &["train", "--data", TINY_CSV, "--model", "adir"],
            stderr: &["adir: is a folder: expected a file name"],
            ..Case::default()
        },
        Case {
            name: "unknown language",
            args: &[
                "train",
                "--data",
                TINY_CSV,
                "--model",
                "m.json",
                "--language",
                "klingon",
            ],
            stderr: &["unknown --language 'klingon'"],
            ..Case::default()
        },
    ] {
        run(&case);
    }
}

/// A failed run leaves an earlier model at the output path as it was.
#[test]
fn failed_train_keeps_the_earlier_model() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("model.json");
    std::fs::write(&out, b"earlier model").unwrap();
    std::fs::write(dir.path().join("bad.csv"), "text,stance\na,favor\nb\n").unwrap();
    cargo_bin_cmd!("geostance")
        .current_dir(dir.path())
        .args(["train", "--data", "bad.csv", "--model", "model.json"])
        .assert()
        .code(1);
    assert_eq!(std::fs::read(&out).unwrap(), b"earlier model");
    assert_eq!(listing(dir.path()).len(), 2);
}

/// A folder with a symbolic link back to its parent: every article once (the loop repeated
/// each file about 40 times, until the paths grew too long to open).
#[cfg(unix)]
#[test]
fn regression_folder_symlink_loop_repeated_articles() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("a");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("x.txt"), "Japan sanctioned Russia.").unwrap();
    std::os::unix::fs::symlink("..", sub.join("up")).unwrap();
    let out = run::success(
        cargo_bin_cmd!("geostance")
            .args(["classify", "--format", "json", "--model"])
            .arg(&models().0)
            .arg(dir.path()),
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}
