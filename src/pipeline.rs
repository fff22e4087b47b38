//! Training and prediction of (text, target) pairs end to end.
//!
//! [`train`] takes labeled [`Example`]s and returns a [`Classifier`]:
//!
//! 1. **Target mode.** With `auto`, rows without targets give [`TargetMode::None`]; if at least
//!    half of the targeted rows mention their target (found through the gazetteer, the row's
//!    offset columns, or the target's own words) the mode is [`TargetMode::Mention`]; otherwise
//!    the targets are topics and the mode is [`TargetMode::PerTarget`] (one model per target,
//!    with a pooled model for unseen targets), which beat [`TargetMode::Conjoin`] on both
//!    topic-target benchmarks we measured (BENCHMARKS.md). The choice and the reason are stored
//!    in the model.
//! 2. **Marks.** Each mention of the target becomes `<t>`; other countries become `<c>`, and
//!    Russia and Ukraine `<ru>` and `<ua>` (the two sides of the war keep their identity).
//! 3. **Vectorizer**: fitted once on all rows; every head shares it.
//! 4. **Heads**: one model per head present in the data (rows without that label are skipped),
//!    with `alpha` either given or tuned by stratified cross-validation (`tune`), then a
//!    temperature fitted on out-of-fold scores so that probabilities are calibrated.

use std::collections::BTreeMap;

use linfa::DatasetBase;
use linfa::traits::Fit;
use ndarray::Array1;
use rayon::prelude::*;
use serde_json::json;

use crate::countries::{Gazetteer, Mention};
use crate::dataset::{Example, HEADS};
use crate::error::{Error, Result};
use crate::eval::metrics::{ConfusionCounter, Report};
use crate::eval::split::stratified_folds;
use crate::features::{CsrMatrix, Doc, FeatureParams, Mark, TargetMode, Vectorizer};
use crate::model::linear::{argmax, log_sum_exp};
use crate::model::{
    Classifier, Head, LabelSet, LinearModel, LogisticParams, ModelKind, NaiveBayesParams,
    TrainingInfo, target_key,
};

/// Training options.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// Feature parameters (the target mode may be `auto`).
    pub features: FeatureParams,
    /// The estimator.
    pub estimator: ModelKind,
    /// Regularisation (logistic) or smoothing (naive Bayes); `None`: the default, or tuned.
    pub alpha: Option<f64>,
    /// Balanced class weights.
    pub balanced: bool,
    /// L-BFGS iteration limit.
    pub max_iterations: u64,
    /// Seed for every shuffle (tuning folds, calibration folds).
    pub seed: u64,
    /// Choose `alpha` by stratified cross-validation on the training rows.
    pub tune: bool,
    /// Calibrate probabilities: fit a temperature on a held-out fifth of the rows (with `tune`,
    /// on the out-of-fold scores of all rows). Without `tune`, heads of more than
    /// [`CALIBRATION_MAX_ROWS`] rows are not calibrated.
    pub calibrate: bool,
    /// Data file names, stored in the model for `info`.
    pub data_names: Vec<String>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            features: FeatureParams::default(),
            estimator: ModelKind::Logistic,
            alpha: None,
            balanced: false,
            max_iterations: 300,
            seed: 42,
            tune: false,
            calibrate: true,
            data_names: Vec::new(),
        }
    }
}

/// Heads with more training rows are not calibrated unless `tune` is on (its out-of-fold
/// scores make calibration free): the held-out fit would double the training time.
pub const CALIBRATION_MAX_ROWS: usize = 20_000;

/// The default `alpha` of each estimator.
pub fn default_alpha(kind: ModelKind) -> f64 {
    match kind {
        ModelKind::Logistic => 0.1,
        ModelKind::NaiveBayes => 0.1,
    }
}

/// The `alpha` values `tune` tries.
pub fn alpha_grid(kind: ModelKind) -> &'static [f64] {
    match kind {
        ModelKind::Logistic => &[0.01, 0.03, 0.1, 0.3, 1.0, 3.0],
        ModelKind::NaiveBayes => &[0.01, 0.03, 0.1, 0.3, 1.0],
    }
}

/// Progress messages for long work; the caller decides whether to show them.
pub type ProgressFn<'a> = &'a (dyn Fn(&str) + Sync);

/// Finds the marks of one row: the target's mentions and the other entities.
#[derive(Debug, Clone, Copy)]
pub struct Locator {
    gazetteer: &'static Gazetteer,
}

/// The marker for another entity's mention: Russia and Ukraine keep their identity.
pub fn marker_for(code: &str) -> &'static str {
    match code {
        "RUS" => crate::features::analyzer::OBJECT_MARKER,
        "UKR" => crate::features::analyzer::UKRAINE_MARKER,
        _ => "<c>",
    }
}

impl Locator {
    /// A locator over the built-in gazetteer.
    ///
    /// # Errors
    /// If the built-in gazetteer cannot be loaded (it is tested, so this does not happen).
    pub fn builtin() -> Result<Self> {
        Ok(Locator {
            gazetteer: Gazetteer::builtin()?,
        })
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &'static Gazetteer {
        self.gazetteer
    }

    /// Marks for `text` with `target`; `span` is a known mention (byte offsets). Returns the
    /// marks (sorted, non-overlapping) and whether the target was found.
    pub fn marks(
        &self,
        text: &str,
        target: Option<&str>,
        span: Option<(usize, usize)>,
    ) -> (Vec<Mark>, bool) {
        let mentions = self.gazetteer.find(text);
        self.marks_from(text, &mentions, target, span)
    }

    /// Like [`Locator::marks`] with the gazetteer mentions already found.
    pub fn marks_from(
        &self,
        text: &str,
        mentions: &[Mention],
        target: Option<&str>,
        span: Option<(usize, usize)>,
    ) -> (Vec<Mark>, bool) {
        let entity = target.and_then(|t| self.gazetteer.lookup(t));
        let mut marks: Vec<Mark> = Vec::new();
        if let Some((a, b)) = span.filter(|&(a, b)| a < b && b <= text.len()) {
            marks.push(Mark {
                start: a,
                end: b,
                target: true,
                marker: "<t>",
            });
        } else if entity.is_none()
            && let Some(t) = target
        {
            for (a, b) in literal_mentions(text, t) {
                marks.push(Mark {
                    start: a,
                    end: b,
                    target: true,
                    marker: "<t>",
                });
            }
        }
        for m in mentions {
            let is_target = entity == Some(m.entity);
            let code = self.gazetteer.entity(m.entity).code.as_str();
            marks.push(Mark {
                start: m.start,
                end: m.end,
                target: is_target,
                marker: marker_for(code),
            });
        }
        marks.sort_by_key(|m| {
            (
                m.start,
                std::cmp::Reverse(m.target),
                std::cmp::Reverse(m.end),
            )
        });
        let mut out: Vec<Mark> = Vec::with_capacity(marks.len());
        for m in marks {
            match out.last() {
                Some(last) if m.start < last.end => {} // overlapping: keep the first (target first)
                _ => out.push(m),
            }
        }
        let found = out.iter().any(|m| m.target);
        (out, found)
    }
}

/// Case-insensitive, word-bounded occurrences of `target` in `text`; if there are none, of the
/// target's longer words (`Hillary Clinton` → `Hillary`, `Clinton`), also inside hashtags and
/// handles (`#Hillary2016` does not match, `#Hillary` does).
pub fn literal_mentions(text: &str, target: &str) -> Vec<(usize, usize)> {
    let target = target.trim();
    if target.is_empty() {
        return Vec::new();
    }
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        // Lowercasing changed byte lengths (rare scripts): fall back to exact matching.
        return find_words(text, target);
    }
    let whole = find_words(&lower, &target.to_lowercase());
    if !whole.is_empty() {
        return whole;
    }
    let mut out = Vec::new();
    for w in target
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
    {
        out.extend(find_words(&lower, &w.to_lowercase()));
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn find_words(hay: &str, needle: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| h.find(needle)) {
        let a = from + i;
        let b = a + needle.len();
        let before = hay.get(..a).and_then(|s| s.chars().next_back());
        let after = hay.get(b..).and_then(|s| s.chars().next());
        let ok =
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        if ok {
            out.push((a, b));
        }
        from = b;
    }
    out
}

/// A row ready for the vectorizer.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The marks.
    pub marks: Vec<Mark>,
    /// Whether the target was found.
    pub found: bool,
}

fn prepare(examples: &[Example], locator: &Locator, mode: TargetMode) -> Vec<Prepared> {
    examples
        .iter()
        .map(|e| match mode {
            TargetMode::Mention => {
                let (marks, found) = locator.marks(&e.text, e.target.as_deref(), e.span);
                Prepared { marks, found }
            }
            _ => Prepared {
                marks: Vec::new(),
                found: false,
            },
        })
        .collect()
}

fn docs<'a>(examples: &'a [Example], prepared: &'a [Prepared]) -> Vec<Doc<'a>> {
    examples
        .iter()
        .zip(prepared)
        .map(|(e, p)| Doc {
            text: &e.text,
            target: e.target.as_deref(),
            marks: &p.marks,
        })
        .collect()
}

/// The score a head is tuned and compared on: F_avg where favor/against exist, else macro-F1.
pub fn head_score(r: &Report) -> f64 {
    r.f_avg.unwrap_or(r.macro_f1)
}

/// Rows and class indices of one head.
struct HeadData {
    rows: Vec<usize>,
    y: Vec<usize>,
    labels: LabelSet,
    targets: Vec<Option<String>>,
}

fn head_data(examples: &[Example], h: usize) -> HeadData {
    let rows: Vec<usize> = (0..examples.len())
        .filter(|&i| examples.get(i).and_then(|e| e.label(h)).is_some())
        .collect();
    let labels = LabelSet::learn(
        rows.iter()
            .filter_map(|&i| examples.get(i).and_then(|e| e.label(h))),
    );
    let y = rows
        .iter()
        .map(|&i| {
            examples
                .get(i)
                .and_then(|e| e.label(h))
                .and_then(|l| labels.index(l))
                .unwrap_or(0)
        })
        .collect();
    let targets = rows
        .iter()
        .map(|&i| examples.get(i).and_then(|e| e.target.clone()))
        .collect();
    HeadData {
        rows,
        y,
        labels,
        targets,
    }
}

/// What to fit: the estimator, its `alpha`, the class count and whether per-target models are
/// wanted.
#[derive(Debug, Clone, Copy)]
struct FitSpec<'a> {
    kind: ModelKind,
    alpha: f64,
    opts: &'a TrainOptions,
    n_classes: usize,
    per_target: bool,
}

/// A head's fitted models: the pooled one and the per-target ones.
type HeadModels = (LinearModel, BTreeMap<String, LinearModel>);

/// The models of each fold (`None` for folds not fitted).
type FoldModels = Vec<Option<HeadModels>>;

/// Fits one estimator on rows of `x`; logistic regression starts from `init` when given.
fn fit_model(
    spec: &FitSpec<'_>,
    x: &CsrMatrix,
    y: &[usize],
    init: Option<&LinearModel>,
) -> Result<LinearModel> {
    let FitSpec {
        kind,
        alpha,
        opts,
        n_classes,
        ..
    } = *spec;
    // Make sure every class index exists so the model has one column per label, even when a
    // fold happens to lack the last class.
    let ds = DatasetBase::new(x, Array1::from(y.to_vec()));
    let mut model = match kind {
        ModelKind::Logistic => linfa::ParamGuard::check(
            LogisticParams::new()
                .alpha(alpha)
                .balanced(opts.balanced)
                .max_iterations(opts.max_iterations),
        )?
        .fit_from(&ds, init)?,
        ModelKind::NaiveBayes => NaiveBayesParams::new()
            .alpha(alpha)
            .balanced(opts.balanced)
            .fit(&ds)?,
    };
    if model.n_classes < n_classes {
        // Pad missing trailing classes with a score that never wins.
        let k = model.n_classes;
        let mut w = vec![0.0; model.n_features * n_classes];
        for j in 0..model.n_features {
            for c in 0..k {
                if let (Some(dst), Some(src)) =
                    (w.get_mut(j * n_classes + c), model.weights.get(j * k + c))
                {
                    *dst = *src;
                }
            }
        }
        model.weights = w;
        model.bias.resize(n_classes, -1e9);
        model.n_classes = n_classes;
    }
    Ok(model)
}

/// A head's model(s) for a given mode: pooled, plus per-target models in per-target mode.
///
/// `scored`: the targets of the rows the models will score, when only those matter (held-out
/// folds). The pooled model is then fitted only if one of them has no per-target model; if none
/// needs it, an all-zero placeholder stands in (it scores nothing).
fn fit_head_models(
    spec: &FitSpec<'_>,
    x: &CsrMatrix,
    y: &[usize],
    targets: &[Option<String>],
    init: Option<&HeadModels>,
    scored: Option<&[Option<String>]>,
) -> Result<HeadModels> {
    if !spec.per_target {
        return Ok((fit_model(spec, x, y, init.map(|i| &i.0))?, BTreeMap::new()));
    }
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        if let Some(t) = t {
            groups.entry(target_key(t)).or_default().push(i);
        }
    }
    // Which targets get their own model: at least 10 rows and two labels.
    groups.retain(|_, idx| {
        let mut distinct: Vec<usize> = idx.iter().filter_map(|&i| y.get(i).copied()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        idx.len() >= 10 && distinct.len() >= 2
    });
    let need_pooled = scored.is_none_or(|rows| {
        rows.iter().any(|t| {
            t.as_deref()
                .is_none_or(|t| !groups.contains_key(&target_key(t)))
        })
    });
    // The pooled model and the per-target models are independent: fit them side by side.
    let (pooled, fitted) = rayon::join(
        || {
            if need_pooled {
                fit_model(spec, x, y, init.map(|i| &i.0))
            } else {
                Ok(LinearModel {
                    kind: spec.kind,
                    n_features: x.n_cols(),
                    n_classes: spec.n_classes,
                    weights: vec![0.0; x.n_cols() * spec.n_classes],
                    bias: vec![0.0; spec.n_classes],
                    iterations: 0,
                })
            }
        },
        || -> Vec<Result<(String, LinearModel)>> {
            groups
                .into_par_iter()
                .map(|(t, idx)| {
                    let ys: Vec<usize> = idx.iter().filter_map(|&i| y.get(i).copied()).collect();
                    let start = init.and_then(|i| i.1.get(&t));
                    let m = fit_model(spec, &x.select_rows(&idx), &ys, start)?;
                    Ok((t, m))
                })
                .collect()
        },
    );
    // The first error in target order, whatever the thread count.
    let per: BTreeMap<String, LinearModel> = fitted.into_iter().collect::<Result<_>>()?;
    Ok((pooled?, per))
}

/// Out-of-fold raw scores for the rows of the folds in `which` (other rows keep zero scores),
/// used for tuning and calibration, and the models of each of those folds. Fold `f`'s models
/// start from `init[f]` when given: the same fold's models for a neighbouring alpha, never the
/// models of all rows (which have seen the held-out fold: starting there would leak it into the
/// scores whenever L-BFGS stops before the exact minimum).
#[allow(clippy::too_many_arguments)]
fn out_of_fold(
    spec: &FitSpec<'_>,
    x: &CsrMatrix,
    y: &[usize],
    targets: &[Option<String>],
    folds: &[usize],
    which: std::ops::Range<usize>,
    init: &[Option<HeadModels>],
) -> Result<(Vec<Vec<f64>>, FoldModels)> {
    let n_classes = spec.n_classes;
    type FoldResult = (Vec<(usize, Vec<f64>)>, Option<HeadModels>);
    let per_fold: Vec<Result<FoldResult>> = which
        .clone()
        .into_par_iter()
        .map(|f| {
            let train: Vec<usize> = (0..y.len()).filter(|&i| folds.get(i) != Some(&f)).collect();
            let test: Vec<usize> = (0..y.len()).filter(|&i| folds.get(i) == Some(&f)).collect();
            if train.is_empty() || test.is_empty() {
                return Ok((Vec::new(), None));
            }
            let ytr: Vec<usize> = train.iter().filter_map(|&i| y.get(i).copied()).collect();
            let ttr: Vec<Option<String>> = train
                .iter()
                .map(|&i| targets.get(i).cloned().flatten())
                .collect();
            let start = init.get(f).and_then(Option::as_ref);
            let scored: Vec<Option<String>> = test
                .iter()
                .map(|&i| targets.get(i).cloned().flatten())
                .collect();
            let (pooled, per) = fit_head_models(
                spec,
                &x.select_rows(&train),
                &ytr,
                &ttr,
                start,
                Some(&scored),
            )?;
            let scores = test
                .iter()
                .map(|&i| {
                    let m = targets
                        .get(i)
                        .and_then(|t| t.as_deref())
                        .and_then(|t| per.get(&target_key(t)))
                        .unwrap_or(&pooled);
                    let mut s = vec![0.0; n_classes];
                    m.scores_into(x.row(i), &mut s);
                    (i, s)
                })
                .collect();
            Ok((scores, Some((pooled, per))))
        })
        .collect();
    let mut scores = vec![vec![0.0; n_classes]; y.len()];
    let mut models: FoldModels = vec![None; which.end];
    for (f, fold) in which.zip(per_fold) {
        let (fold_scores, fold_models) = fold?;
        for (i, s) in fold_scores {
            if let Some(slot) = scores.get_mut(i) {
                *slot = s;
            }
        }
        if let Some(slot) = models.get_mut(f) {
            *slot = fold_models;
        }
    }
    Ok((scores, models))
}

fn report_of(labels: &LabelSet, y: &[usize], scores: &[Vec<f64>]) -> Report {
    let mut c = ConfusionCounter::new(labels.as_slice());
    for (&t, s) in y.iter().zip(scores) {
        c.add(t, argmax(s));
    }
    c.report()
}

/// Per-class score offsets maximising [`head_score`] on out-of-fold scores, by coordinate ascent
/// over a grid (`-2.0..=2.0`, step 0.1; the neutral-like label, or the first, stays at 0). Kept
/// only when they raise the score by at least half a point; otherwise empty (no offsets).
pub fn fit_offsets(labels: &LabelSet, y: &[usize], scores: &[Vec<f64>]) -> Vec<f64> {
    let k = labels.len();
    let reference = labels
        .as_slice()
        .iter()
        .position(|l| {
            ["neutral", "none", "neither"]
                .iter()
                .any(|n| l.eq_ignore_ascii_case(n))
        })
        .unwrap_or(0);
    let score_with = |off: &[f64]| -> f64 {
        let mut c = ConfusionCounter::new(labels.as_slice());
        let mut z = vec![0.0; k];
        for (&t, s) in y.iter().zip(scores) {
            for ((zi, si), oi) in z.iter_mut().zip(s).zip(off) {
                *zi = si + oi;
            }
            c.add(t, argmax(&z));
        }
        head_score(&c.report())
    };
    let grid: Vec<f64> = (-20..=20).map(|i| f64::from(i) / 10.0).collect();
    let mut off = vec![0.0; k];
    let base = score_with(&off);
    let mut best = base;
    for _ in 0..3 {
        for c in (0..k).filter(|&c| c != reference) {
            let mut choice = off.get(c).copied().unwrap_or(0.0);
            for &g in &grid {
                let mut trial = off.clone();
                if let Some(slot) = trial.get_mut(c) {
                    *slot = g;
                }
                let s = score_with(&trial);
                // Strictly better, or as good and closer to zero.
                if s > best + 1e-12 || ((s - best).abs() <= 1e-12 && g.abs() < choice.abs()) {
                    best = s;
                    choice = g;
                }
            }
            if let Some(slot) = off.get_mut(c) {
                *slot = choice;
            }
        }
    }
    if best - base >= 0.005 {
        off
    } else {
        Vec::new()
    }
}

/// The temperature minimising the log loss of out-of-fold scores (golden-section search over
/// `ln T` in `[-3, 3]`).
pub fn fit_temperature(y: &[usize], scores: &[Vec<f64>]) -> f64 {
    let nll = |log_t: f64| -> f64 {
        let t = log_t.exp();
        let mut total = 0.0;
        let mut z = Vec::new();
        for (&yi, s) in y.iter().zip(scores) {
            z.clear();
            z.extend(s.iter().map(|v| v / t));
            total += log_sum_exp(&z) - z.get(yi).copied().unwrap_or(0.0);
        }
        total
    };
    let (mut a, mut b) = (-3.0f64, 3.0f64);
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    let (mut fc, mut fd) = (nll(c), nll(d));
    for _ in 0..60 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = nll(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = nll(d);
        }
    }
    let t = ((a + b) / 2.0).exp();
    // Round so tiny floating-point differences never change the model bytes across machines.
    (t * 1e6).round() / 1e6
}

/// Trains a classifier on `examples`.
///
/// `heads_present` says which label columns the data has (in [`HEADS`] order).
///
/// # Errors
/// Invalid parameters, a head with fewer than two labels, an empty vocabulary, optimiser failure.
pub fn train(
    examples: &[Example],
    heads_present: [bool; 2],
    opts: &TrainOptions,
    progress: ProgressFn<'_>,
) -> Result<Classifier> {
    let locator = Locator::builtin()?;
    let kind = opts.estimator;
    if let Some(a) = opts.alpha {
        // Validate early with the estimator's own checks.
        match kind {
            ModelKind::Logistic => {
                linfa::ParamGuard::check(LogisticParams::new().alpha(a))?;
            }
            ModelKind::NaiveBayes => {
                linfa::ParamGuard::check(NaiveBayesParams::new().alpha(a))?;
            }
        }
    }
    let base = opts.features.clone().check()?;
    let has_targets = examples.iter().any(|e| e.target.is_some());
    let (mode, reason) = match base.get().target_mode {
        TargetMode::Auto if !has_targets => (TargetMode::None, "no row has a target".to_string()),
        TargetMode::Auto => {
            progress("locating target mentions");
            let targeted: Vec<&Example> = examples.iter().filter(|e| e.target.is_some()).collect();
            let found = targeted
                .iter()
                .filter(|e| locator.marks(&e.text, e.target.as_deref(), e.span).1)
                .count();
            let rate = found as f64 / targeted.len().max(1) as f64;
            if rate >= 0.5 {
                (
                    TargetMode::Mention,
                    format!("{:.0}% of targeted rows mention their target", rate * 100.0),
                )
            } else {
                (
                    TargetMode::PerTarget,
                    format!(
                        "{:.0}% of targeted rows mention their target: topic targets, one model per target \
                         (measured better than conjoined features on SemEval-2016 and TweetEval)",
                        rate * 100.0
                    ),
                )
            }
        }
        m => (m, "set by the user".to_string()),
    };
    let params = base.with_target_mode(mode);
    progress("fitting the vectorizer");
    let prepared = prepare(examples, &locator, mode);
    let all_docs = docs(examples, &prepared);
    let vectorizer = Vectorizer::fit(params, &all_docs)?;
    progress(&format!(
        "transforming {} rows ({} features)",
        examples.len(),
        vectorizer.n_features()
    ));
    let x = vectorizer.transform(&all_docs);
    drop(all_docs);
    let mut heads = BTreeMap::new();
    let mut tuning = serde_json::Map::new();
    let jobs: Vec<(&str, HeadData)> = HEADS
        .iter()
        .enumerate()
        .filter(|(h, _)| heads_present.get(*h).copied().unwrap_or(false))
        .map(|(h, name)| (*name, head_data(examples, h)))
        .filter(|(_, d)| !d.rows.is_empty())
        .collect();
    for (name, data) in &jobs {
        if data.labels.len() < 2 {
            return Err(Error::TooFewLabels {
                head: name.to_string(),
                found: data.labels.as_slice().join(", "),
            });
        }
    }
    progress(&format!("fitting {} head(s)", jobs.len()));
    let per_target = mode == TargetMode::PerTarget;
    // Each head's rows: the matrix itself when the head is labeled on every row, else a copy of
    // its rows. When every head has its own copy, the full matrix is freed before fitting.
    let jobs: Vec<(&str, HeadData, Option<CsrMatrix>)> = jobs
        .into_iter()
        .map(|(name, data)| {
            let own = (data.rows.len() != x.n_rows()).then(|| x.select_rows(&data.rows));
            (name, data, own)
        })
        .collect();
    let x = if jobs.iter().all(|j| j.2.is_some()) {
        CsrMatrix::new(0)
    } else {
        x
    };
    // Heads are independent: fit them in parallel (each fit is deterministic on its own).
    let fitted: Vec<Result<(String, Head, Option<serde_json::Value>)>> = jobs
        .into_par_iter()
        .map(|(name, data, own)| {
            train_head(
                name,
                data,
                own.as_ref().unwrap_or(&x),
                opts,
                per_target,
                progress,
            )
        })
        .collect();
    for f in fitted {
        let (name, head, tuned) = f?;
        if let Some(t) = tuned {
            tuning.insert(name.clone(), t);
        }
        heads.insert(name, head);
    }
    if heads.is_empty() {
        return Err(Error::Data(
            "no row has a stance or sentiment label: nothing to train".into(),
        ));
    }
    Ok(Classifier {
        vectorizer,
        heads,
        training: TrainingInfo {
            data: opts.data_names.clone(),
            rows: examples.len(),
            seed: opts.seed,
            target_mode: mode,
            target_mode_reason: reason,
            estimator: kind,
            tuning: (!tuning.is_empty()).then_some(serde_json::Value::Object(tuning)),
        },
    })
}

/// Held-out labels and raw scores (out-of-fold), for calibration and class offsets.
struct HeldOut {
    y: Vec<usize>,
    scores: Vec<Vec<f64>>,
}

/// Raw scores of one held-out fifth (stratified, seeded), from models fitted from scratch on the
/// other four fifths.
fn held_out_fifth(
    spec: &FitSpec<'_>,
    x: &CsrMatrix,
    data: &HeadData,
    seed: u64,
) -> Result<HeldOut> {
    let fifths = stratified_folds(&data.y, 5, seed);
    let (scores, _) = out_of_fold(spec, x, &data.y, &data.targets, &fifths, 0..1, &[])?;
    let (y, scores) = fifths
        .iter()
        .zip(data.y.iter().zip(scores))
        .filter(|(f, _)| **f == 0)
        .map(|(_, (y, s))| (*y, s))
        .unzip();
    Ok(HeldOut { y, scores })
}

/// Fits one head on `x` (the head's rows only): alpha (given, default or tuned), the model(s),
/// the calibration temperature.
fn train_head(
    name: &str,
    data: HeadData,
    x: &CsrMatrix,
    opts: &TrainOptions,
    per_target: bool,
    progress: ProgressFn<'_>,
) -> Result<(String, Head, Option<serde_json::Value>)> {
    let kind = opts.estimator;
    // `x` holds exactly this head's rows, in order.
    let xh = x;
    let k = data.labels.len();
    let spec = FitSpec {
        kind,
        alpha: default_alpha(kind),
        opts,
        n_classes: k,
        per_target,
    };
    let folds = stratified_folds(&data.y, 3, opts.seed);
    // With tuning the out-of-fold scores are there anyway; otherwise calibration costs a second
    // fit, which is skipped on large heads (their probabilities are near calibrated already).
    let calibrate = opts.calibrate
        && data.rows.len() >= 30
        && (opts.tune || data.rows.len() <= CALIBRATION_MAX_ROWS);
    let mut tuned = None;
    let (alpha, (model, per), oof) = match (opts.alpha, opts.tune) {
        (Some(_), _) | (None, false) => {
            let a = opts.alpha.unwrap_or(default_alpha(kind));
            progress(&format!("{name}: fitting on {} rows", data.rows.len()));
            if calibrate {
                progress(&format!(
                    "{name}: calibrating on a held-out fifth (alongside)"
                ));
            }
            // The calibration fit (four fifths) does not depend on the fit of all rows: run
            // them side by side.
            let s = FitSpec { alpha: a, ..spec };
            let (full, held_out) = rayon::join(
                || fit_head_models(&s, xh, &data.y, &data.targets, None, None),
                || calibrate.then(|| held_out_fifth(&s, xh, &data, opts.seed)),
            );
            (a, full?, held_out.transpose()?)
        }
        (None, true) => {
            // Strongest regularisation first: every model (all rows, and each fold) starts from
            // its own solution for the previous alpha.
            let mut grid: Vec<f64> = alpha_grid(kind).to_vec();
            grid.sort_by(|a, b| b.total_cmp(a));
            let mut best: Option<(f64, f64, HeadModels, Vec<Vec<f64>>)> = None;
            let mut prev: Option<HeadModels> = None;
            let mut prev_folds: FoldModels = vec![None; 3];
            let mut seen = Vec::new();
            for (i, &a) in grid.iter().enumerate() {
                progress(&format!(
                    "{name}: tuning alpha {a} ({}/{})",
                    i + 1,
                    grid.len()
                ));
                let s = FitSpec { alpha: a, ..spec };
                let full = fit_head_models(&s, xh, &data.y, &data.targets, prev.as_ref(), None)?;
                let (oof, fold_models) =
                    out_of_fold(&s, xh, &data.y, &data.targets, &folds, 0..3, &prev_folds)?;
                let score = head_score(&report_of(&data.labels, &data.y, &oof));
                seen.push(json!({"alpha": a, "score": score}));
                if best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, a, full.clone(), oof));
                }
                prev = Some(full);
                prev_folds = fold_models;
            }
            let Some((_, a, full, oof)) = best else {
                return Err(Error::Data("empty alpha grid".into()));
            };
            tuned =
                Some(json!({"folds": 3, "metric": "f_avg or macro_f1", "grid": seen, "chosen": a}));
            let held = HeldOut {
                y: data.y.clone(),
                scores: oof,
            };
            (a, full, Some(held))
        }
    };
    // With tuning, class offsets that maximise the head's score on the held-out folds.
    let offsets = match (&oof, opts.tune) {
        (Some(h), true) => fit_offsets(&data.labels, &h.y, &h.scores),
        _ => Vec::new(),
    };
    let shift = |row: &Vec<f64>| -> Vec<f64> {
        row.iter()
            .zip(offsets.iter().chain(std::iter::repeat(&0.0)))
            .map(|(v, o)| v + o)
            .collect()
    };
    let temperature = match (&oof, calibrate) {
        (_, false) => 1.0,
        (Some(HeldOut { y, scores }), true) => {
            fit_temperature(y, &scores.iter().map(shift).collect::<Vec<_>>())
        }
        (None, true) => 1.0,
    };
    if let (Some(t), false) = (tuned.as_mut(), offsets.is_empty())
        && let Some(o) = t.as_object_mut()
    {
        o.insert("offsets".into(), json!(offsets));
    }
    let mut model = model;
    let mut per = per;
    for m in std::iter::once(&mut model).chain(per.values_mut()) {
        m.round_weights(7);
    }
    let mut counts = vec![0usize; k];
    for &c in &data.y {
        if let Some(n) = counts.get_mut(c) {
            *n += 1;
        }
    }
    let head = Head {
        labels: data.labels,
        model,
        per_target: per,
        offsets,
        temperature,
        n_rows: data.rows.len(),
        class_counts: counts,
        params: json!({
            "estimator": kind.name(),
            "alpha": alpha,
            "balanced": opts.balanced,
            "max_iterations": opts.max_iterations,
            "calibrate": opts.calibrate,
        }),
    };
    Ok((name.to_string(), head, tuned))
}

/// One scored (text, target) pair: probabilities per head, in each head's label order.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// `(head name, probabilities)` for each head of the model.
    pub heads: Vec<(String, Vec<f64>)>,
}

impl Classifier {
    /// Builds the document for a (text, target) pair the way training did.
    pub fn prepare<'a>(
        &self,
        locator: &Locator,
        text: &'a str,
        target: Option<&'a str>,
        span: Option<(usize, usize)>,
    ) -> Vec<Mark> {
        match self.vectorizer.analyzer().params().get().target_mode {
            TargetMode::Mention => locator.marks(text, target, span).0,
            _ => Vec::new(),
        }
    }

    /// Probabilities of every head for each document (parallel; order kept).
    pub fn score_docs(&self, docs: &[Doc<'_>]) -> Vec<Scored> {
        use rayon::prelude::*;
        docs.par_iter()
            .with_min_len(64)
            .map(|d| {
                let (idx, val) = self.vectorizer.transform_unsorted(d);
                let row = crate::features::RowView {
                    indices: &idx,
                    values: &val,
                };
                let heads = self
                    .heads
                    .iter()
                    .map(|(name, head)| {
                        let mut p = vec![0.0; head.labels.len()];
                        head.proba(row, d.target, &mut p);
                        (name.clone(), p)
                    })
                    .collect();
                Scored { heads }
            })
            .collect()
    }
}

/// Rows per evaluation batch: memory stays bounded whatever the file length.
const EVAL_BATCH: usize = 8192;
/// Text bytes per evaluation batch: memory stays bounded whatever the row length too.
const EVAL_BATCH_BYTES: usize = 32 << 20;

/// Evaluates `model` on labeled examples, streaming them in batches.
///
/// Heads are those with a label column in the data (`heads_present`) and a head in the model.
///
/// # Errors
/// [`Error::UnknownLabel`] (with the line) for a label the model never saw; reading errors from
/// `examples`; [`Error::Data`] when no head can be evaluated.
pub fn evaluate(
    model: &Classifier,
    examples: impl Iterator<Item = Result<Example>>,
    heads_present: [bool; 2],
    source: &crate::Source,
    progress: ProgressFn<'_>,
) -> Result<Vec<crate::eval::HeadEvaluation>> {
    let locator = Locator::builtin()?;
    let heads: Vec<(usize, &str, &Head)> = HEADS
        .iter()
        .enumerate()
        .filter(|(h, _)| heads_present.get(*h).copied().unwrap_or(false))
        .filter_map(|(h, name)| model.head(name).map(|head| (h, *name, head)))
        .collect();
    if heads.is_empty() {
        let have: Vec<&str> = model.heads.keys().map(String::as_str).collect();
        return Err(Error::Data(format!(
            "{source}: no label column of this file matches a head of the model (the model has: {})",
            have.join(", ")
        )));
    }
    let mut counters: Vec<(ConfusionCounter, ConfusionCounter, usize)> = heads
        .iter()
        .map(|(_, _, head)| {
            let majority = head
                .class_counts
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
                .map_or(0, |(i, _)| i);
            (
                ConfusionCounter::new(head.labels.as_slice()),
                ConfusionCounter::new(head.labels.as_slice()),
                majority,
            )
        })
        .collect();
    let mut batch: Vec<Example> = Vec::with_capacity(EVAL_BATCH);
    let mut examples = examples.peekable();
    let mut seen = 0usize;
    while examples.peek().is_some() {
        batch.clear();
        let mut bytes = 0;
        while batch.len() < EVAL_BATCH && bytes < EVAL_BATCH_BYTES {
            let Some(e) = examples.next() else { break };
            let e = e?;
            bytes += e.text.len();
            batch.push(e);
        }
        // Check labels first, so an unknown label fails before any scoring work.
        let mut truth: Vec<Vec<Option<usize>>> = Vec::with_capacity(heads.len());
        for (h, name, head) in &heads {
            let mut t = Vec::with_capacity(batch.len());
            for e in &batch {
                t.push(match e.label(*h) {
                    None => None,
                    Some(l) => Some(head.labels.index(l).ok_or_else(|| Error::UnknownLabel {
                        source_name: source.clone(),
                        pos: crate::Position {
                            line: e.line,
                            column: None,
                            byte: None,
                        },
                        head: name.to_string(),
                        label: l.to_string(),
                        known: head.labels.as_slice().join(", "),
                    })?),
                });
            }
            truth.push(t);
        }
        let marks: Vec<Vec<Mark>> = batch
            .iter()
            .map(|e| model.prepare(&locator, &e.text, e.target.as_deref(), e.span))
            .collect();
        let docs: Vec<Doc<'_>> = batch
            .iter()
            .zip(&marks)
            .map(|(e, m)| Doc {
                text: &e.text,
                target: e.target.as_deref(),
                marks: m,
            })
            .collect();
        let scored = model.score_docs(&docs);
        for (((_, name, _), t), (model_c, base_c, majority)) in
            heads.iter().zip(&truth).zip(counters.iter_mut())
        {
            for (ti, s) in t.iter().zip(&scored) {
                let Some(ti) = ti else { continue };
                let p = s
                    .heads
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(0, |(_, p)| argmax(p));
                model_c.add(*ti, p);
                base_c.add(*ti, *majority);
            }
        }
        seen += batch.len();
        progress(&format!("evaluated {seen} rows"));
    }
    Ok(heads
        .iter()
        .zip(counters)
        .map(
            |((_, name, head), (m, b, majority))| crate::eval::HeadEvaluation {
                head: name.to_string(),
                report: m.report(),
                baseline_label: head.labels.label(majority).unwrap_or("").to_string(),
                baseline: b.report(),
            },
        )
        .collect())
}

/// Stratified (or grouped) k-fold cross-validation of the whole pipeline: the vectorizer and
/// models are refitted on each training split and scored on the held-out fold.
///
/// # Errors
/// Fewer rows than folds, or any training error.
pub fn cross_validate(
    examples: &[Example],
    heads_present: [bool; 2],
    opts: &TrainOptions,
    k: usize,
    progress: ProgressFn<'_>,
) -> Result<Vec<Vec<crate::eval::HeadEvaluation>>> {
    if k < 2 || examples.len() < k {
        return Err(Error::Data(format!(
            "cross-validation needs at least 2 folds and as many rows; got {k} folds and {} rows",
            examples.len()
        )));
    }
    let folds = if examples.iter().any(|e| e.group.is_some()) {
        let groups: Vec<String> = examples
            .iter()
            .enumerate()
            .map(|(i, e)| e.group.clone().unwrap_or_else(|| format!("\u{0}row{i}")))
            .collect();
        crate::eval::split::group_folds(&groups, k, opts.seed)
    } else {
        // Stratify by the first head's label (rows without it form their own stratum).
        let h = heads_present.iter().position(|&p| p).unwrap_or(0);
        let labels = LabelSet::learn(examples.iter().filter_map(|e| e.label(h)));
        let classes: Vec<usize> = examples
            .iter()
            .map(|e| {
                e.label(h)
                    .and_then(|l| labels.index(l))
                    .unwrap_or(labels.len())
            })
            .collect();
        stratified_folds(&classes, k, opts.seed)
    };
    let mut fold_opts = opts.clone();
    fold_opts.calibrate = false; // calibration does not change the predicted labels
    let mut out = Vec::with_capacity(k);
    for f in 0..k {
        progress(&format!("fold {}/{k}", f + 1));
        let train_rows: Vec<Example> = examples
            .iter()
            .zip(&folds)
            .filter(|(_, g)| **g != f)
            .map(|(e, _)| e.clone())
            .collect();
        let test_rows: Vec<Example> = examples
            .iter()
            .zip(&folds)
            .filter(|(_, g)| **g == f)
            .map(|(e, _)| e.clone())
            .collect();
        let model = train(&train_rows, heads_present, &fold_opts, &|_| {})?;
        let evals = evaluate(
            &model,
            test_rows.into_iter().map(Ok),
            heads_present,
            &crate::Source::Memory,
            &|_| {},
        )?;
        out.push(evals);
    }
    Ok(out)
}
