//! The command-line layer: parses arguments, opens files, shows progress, calls the library and
//! prints what it returns. Only this layer touches stdout, stderr, the filesystem and exit codes.

pub mod args;
mod classify;
mod quiet;

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use args::{Command, Estimator, ReportFormat, TargetModeArg, TrainingArgs};
use geostance::dataset::{Columns, CsvExamples, Example, read_all};
use geostance::features::{FeatureParams, TargetMode};
use geostance::model::{Classifier, ModelKind, persist};
use geostance::pipeline::{self, TrainOptions};
use geostance::text::Language;
use geostance::{Source, report};

/// Runs one command.
pub fn run(cli: args::Cli) -> Result<()> {
    match cli.command {
        Command::Train(a) => train(a),
        Command::Evaluate(a) => evaluate(a),
        Command::Cv(a) => cv(a),
        Command::Explain(a) => {
            let model = load_model(a.model.as_deref())?;
            write_out(&report::explain_text(&model, a.top))
        }
        Command::Info(a) => {
            let path = resolve_model(a.model.as_deref())?;
            let model = persist::load(&path)?;
            let mut v = report::info_json(&model);
            if let Some(o) = v.as_object_mut() {
                o.insert("path".into(), path.display().to_string().into());
            }
            write_out(&format!("{}\n", serde_json::to_string_pretty(&v)?))
        }
        Command::Classify(a) => classify::classify(a),
        Command::Countries(a) => classify::countries(a),
    }
}

/// Writes to stdout; a closed pipe surfaces as an `io::Error` that `main` treats as success.
pub(crate) fn write_out(s: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// The shipped model's file name inside `models/`.
pub const DEFAULT_MODEL: &str = "models/geostance-default.json.gz";

/// `--model`, or the shipped model: `$GEOSTANCE_MODEL`, `./models/…`, then the crate's own
/// `models/` folder (where `cargo run` from a clone finds it).
pub(crate) fn resolve_model(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("GEOSTANCE_MODEL") {
        return Ok(PathBuf::from(p));
    }
    let candidates = [
        PathBuf::from(DEFAULT_MODEL),
        Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_MODEL),
    ];
    for c in &candidates {
        if c.is_file() {
            return Ok(c.clone());
        }
    }
    bail!(
        "no --model given and the shipped model was not found (looked for {} and {}); pass --model or set GEOSTANCE_MODEL",
        candidates[0].display(),
        candidates[1].display()
    )
}

pub(crate) fn load_model(given: Option<&Path>) -> Result<Classifier> {
    let path = resolve_model(given)?;
    Ok(persist::load(&path)?)
}

/// Opens a file, or standard input for `-`.
pub(crate) fn open(path: &Path) -> Result<(Box<dyn Read>, Source)> {
    let source = Source::from_arg(path);
    let reader: Box<dyn Read> = match &source {
        Source::File(p) if p.is_dir() => bail!("{}: is a folder: expected a file", p.display()),
        Source::File(p) => {
            Box::new(File::open(p).map_err(|e| geostance::Error::io(source.clone(), e))?)
        }
        _ => {
            if io::stdin().is_terminal() {
                bail!(
                    "reading from standard input, which is a terminal: pipe data in or pass a file"
                );
            }
            Box::new(io::stdin().lock())
        }
    };
    Ok((reader, source))
}

fn columns(c: &args::ColumnArgs, group: Option<String>) -> Columns {
    Columns {
        text: c.text.clone(),
        target: c.target.clone(),
        stance: c.stance.clone(),
        sentiment: c.sentiment.clone(),
        group,
        ..Columns::default()
    }
}

/// Reads and concatenates labeled CSV files; `heads` limits which label columns count.
fn read_examples(
    paths: &[PathBuf],
    cols: &Columns,
    heads_wanted: &[String],
) -> Result<(Vec<Example>, [bool; 2])> {
    let mut all = Vec::new();
    let mut heads = [false, false];
    for p in paths {
        let (reader, source) = open(p)?;
        let (rows, h, _) = read_all(reader, source, cols)?;
        all.extend(rows);
        heads[0] |= h[0];
        heads[1] |= h[1];
    }
    for (present, name) in heads.iter_mut().zip(geostance::dataset::HEADS) {
        *present &= heads_wanted.iter().any(|h| h == name);
    }
    if !heads.iter().any(|&h| h) {
        bail!(
            "none of the heads asked for ({}) has a label column in the data",
            heads_wanted.join(", ")
        );
    }
    Ok((all, heads))
}

fn parse_range(name: &'static str, s: &str) -> Result<Option<(usize, usize)>> {
    if s.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let parse = |v: &str| v.trim().parse::<usize>().ok();
    let r = match s.split_once('-') {
        Some((a, b)) => parse(a).zip(parse(b)),
        None => parse(s).map(|v| (v, v)),
    };
    match r {
        Some(r) => Ok(Some(r)),
        None => bail!("invalid --{name} '{s}': expected MIN-MAX such as 1-3"),
    }
}

fn train_options(t: &TrainingArgs, data: &[PathBuf]) -> Result<TrainOptions> {
    let language = Language::from_name(&t.language).with_context(|| {
        let names: Vec<&str> = Language::ALL.iter().map(|l| l.name()).collect();
        format!(
            "unknown --language '{}': one of {}",
            t.language,
            names.join(", ")
        )
    })?;
    let word =
        parse_range("word-ngrams", &t.word_ngrams)?.context("--word-ngrams cannot be none")?;
    let features = FeatureParams {
        language,
        stop_words: t.stop_words,
        word_ngrams: word,
        char_ngrams: parse_range("char-ngrams", &t.char_ngrams)?,
        context_window: t.context_window,
        context_ngrams: t.context_ngrams,
        clause_features: true,
        negation_scope: t.negation_scope,
        min_df: t.min_df,
        max_df: t.max_df,
        max_features: t.max_features,
        sublinear_tf: !t.no_sublinear_tf,
        target_mode: match t.target_mode {
            TargetModeArg::Auto => TargetMode::Auto,
            TargetModeArg::None => TargetMode::None,
            TargetModeArg::Mention => TargetMode::Mention,
            TargetModeArg::Conjoin => TargetMode::Conjoin,
            TargetModeArg::PerTarget => TargetMode::PerTarget,
        },
    };
    features.clone().check()?;
    Ok(TrainOptions {
        features,
        estimator: match t.estimator {
            Estimator::Logistic => ModelKind::Logistic,
            Estimator::NaiveBayes => ModelKind::NaiveBayes,
        },
        alpha: t.alpha,
        balanced: t.balanced,
        max_iterations: t.max_iter,
        seed: t.seed,
        tune: t.tune,
        calibrate: !t.no_calibrate,
        data_names: data.iter().map(|p| p.display().to_string()).collect(),
    })
}

/// A spinner on stderr, hidden when stderr is not a terminal or with `-q`.
pub(crate) fn spinner(quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// Temporary model files older than this are left over from a killed run.
const STALE_TEMP: Duration = Duration::from_secs(3600);

fn train(a: args::TrainArgs) -> Result<()> {
    let start = Instant::now();
    let opts = train_options(&a.training, &a.data)?;
    // Fail before training, not after it, when the model cannot be written.
    persist::check_writable(&a.model)?;
    persist::remove_stale_temp_files(&a.model, STALE_TEMP);
    let cols = columns(&a.columns, None);
    let (examples, heads) = read_examples(&a.data, &cols, &a.training.heads)?;
    let pb = spinner(a.quiet || a.verbose);
    let verbose = a.verbose;
    let report = |m: &str| {
        if verbose {
            eprintln!("[{:7.3} s] {m}", start.elapsed().as_secs_f64());
        } else {
            pb.set_message(m.to_string());
        }
    };
    let model = {
        // linfa-bayes 0.8.1 prints a leftover dbg! during fit: keep it off the terminal.
        let _guard =
            (opts.estimator == ModelKind::NaiveBayes && !verbose).then(quiet::StderrSilencer::new);
        pipeline::train(&examples, heads, &opts, &report)?
    };
    report("writing the model");
    persist::save(&model, &a.model)?;
    pb.finish_and_clear();
    let heads: Vec<String> = model
        .heads
        .iter()
        .map(|(n, h)| format!("{n} ({} labels, {} rows)", h.labels.len(), h.n_rows))
        .collect();
    eprintln!(
        "trained {} on {} rows, {} features, target mode {}, in {:.1} s -> {}",
        heads.join(" and "),
        examples.len(),
        model.vectorizer.n_features(),
        model.training.target_mode.name(),
        start.elapsed().as_secs_f64(),
        a.model.display()
    );
    Ok(())
}

fn evaluate(a: args::EvaluateArgs) -> Result<()> {
    let model = load_model(a.model.as_deref())?;
    let (reader, source) = open(&a.data)?;
    let cols = columns(&a.columns, None);
    let it = CsvExamples::new(reader, source.clone(), &cols, true)?
        .max_text_bytes(geostance::dataset::MAX_ROW_TEXT_BYTES);
    let heads = it.heads_present();
    let pb = spinner(a.quiet);
    let evals = pipeline::evaluate(&model, it, heads, &source, &|m| {
        pb.set_message(m.to_string())
    })?;
    pb.finish_and_clear();
    match a.format {
        ReportFormat::Table => write_out(&report::evaluation_text(&evals)),
        ReportFormat::Json => write_out(&format!("{}\n", report::evaluation_json(&evals))),
    }
}

fn cv(a: args::CvArgs) -> Result<()> {
    let opts = train_options(&a.training, &a.data)?;
    let cols = columns(&a.columns, a.group.clone());
    let (examples, heads) = read_examples(&a.data, &cols, &a.training.heads)?;
    let pb = spinner(a.quiet);
    let folds = {
        let _guard = (opts.estimator == ModelKind::NaiveBayes).then(quiet::StderrSilencer::new);
        pipeline::cross_validate(&examples, heads, &opts, a.folds, &|m| {
            pb.set_message(m.to_string())
        })?
    };
    pb.finish_and_clear();
    match a.format {
        ReportFormat::Table => write_out(&report::cv_text(&folds)),
        ReportFormat::Json => write_out(&format!("{}\n", report::cv_json(&folds))),
    }
}
