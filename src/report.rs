//! Rendering results as text tables and JSON. No computation happens here.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::eval::{HeadEvaluation, Report};
use crate::model::Classifier;

fn pct(v: f64) -> String {
    format!("{:.2}", v * 100.0)
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "0.00".to_string(), |v| format!("{v:.2}"))
}

/// scikit-learn's `classification_report` layout (two decimals), with the F_avg line.
pub fn classification_table(r: &Report) -> String {
    let width = r
        .labels
        .iter()
        .map(|l| l.label.chars().count())
        .chain(["weighted avg".len()])
        .max()
        .unwrap_or(12);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:>width$} {:>9} {:>9} {:>9} {:>9}",
        "", "precision", "recall", "f1-score", "support"
    );
    let _ = writeln!(s);
    for l in &r.labels {
        let _ = writeln!(
            s,
            "{:>width$} {:>9} {:>9} {:>9} {:>9}",
            l.label,
            num(l.precision),
            num(l.recall),
            format!("{:.2}", l.f1),
            l.support
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:>width$} {:>9} {:>9} {:>9.2} {:>9}",
        "accuracy", "", "", r.accuracy, r.n
    );
    let _ = writeln!(
        s,
        "{:>width$} {:>9.2} {:>9.2} {:>9.2} {:>9}",
        "macro avg", r.macro_precision, r.macro_recall, r.macro_f1, r.n
    );
    let _ = writeln!(
        s,
        "{:>width$} {:>9.2} {:>9.2} {:>9.2} {:>9}",
        "weighted avg", r.weighted_precision, r.weighted_recall, r.weighted_f1, r.n
    );
    if r.labels.iter().any(|l| l.precision.is_none()) {
        let _ = writeln!(
            s,
            "\n(precision of a label never predicted is undefined and shown as 0.00, as scikit-learn does)"
        );
    }
    s
}

/// The labelled confusion matrix, rows = true labels, columns = predicted labels.
pub fn confusion_table(r: &Report) -> String {
    let c = &r.confusion;
    let w = c
        .labels
        .iter()
        .map(|l| l.chars().count())
        .chain(c.matrix.iter().flatten().map(|v| v.to_string().len()))
        .max()
        .unwrap_or(4)
        .max(4);
    let mut s = String::from("confusion matrix (rows: true label, columns: predicted label)\n");
    let _ = write!(s, "{:>w$}", "");
    for l in &c.labels {
        let _ = write!(s, "  {l:>w$}");
    }
    s.push('\n');
    for (l, row) in c.labels.iter().zip(&c.matrix) {
        let _ = write!(s, "{l:>w$}");
        for v in row {
            let _ = write!(s, "  {v:>w$}");
        }
        s.push('\n');
    }
    s
}

/// The full text report of an evaluation.
pub fn evaluation_text(evals: &[HeadEvaluation]) -> String {
    let mut s = String::new();
    for (i, e) in evals.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        let r = &e.report;
        let _ = writeln!(s, "== {} ({} rows) ==\n", e.head, r.n);
        s.push_str(&classification_table(r));
        s.push('\n');
        let fa = |r: &Report| r.f_avg.map_or_else(|| "-".to_string(), pct);
        let _ = writeln!(
            s,
            "{:<28} {:>9} {:>9} {:>9}",
            "", "accuracy", "macro-F1", "F_avg"
        );
        let _ = writeln!(
            s,
            "{:<28} {:>9} {:>9} {:>9}",
            "model",
            pct(r.accuracy),
            pct(r.macro_f1),
            fa(r)
        );
        let b = &e.baseline;
        let label = format!("majority baseline ({})", e.baseline_label);
        let _ = writeln!(
            s,
            "{:<28} {:>9} {:>9} {:>9}",
            label,
            pct(b.accuracy),
            pct(b.macro_f1),
            fa(b)
        );
        if r.f_avg.is_some() {
            let _ = writeln!(
                s,
                "(F_avg: mean F1 of the favor and against labels, SemEval-2016's score; scores in %)"
            );
        } else {
            let _ = writeln!(s, "(scores in %)");
        }
        s.push('\n');
        s.push_str(&confusion_table(r));
    }
    s
}

/// The JSON form of an evaluation: `{"<head>": {...}}`.
pub fn evaluation_json(evals: &[HeadEvaluation]) -> Value {
    let mut m = serde_json::Map::new();
    for e in evals {
        let r = &e.report;
        m.insert(
            e.head.clone(),
            json!({
                "n": r.n,
                "accuracy": r.accuracy,
                "macro_f1": r.macro_f1,
                "weighted_f1": r.weighted_f1,
                "f_avg": r.f_avg,
                "labels": r.labels,
                "confusion": r.confusion,
                "majority_baseline": {
                    "label": e.baseline_label,
                    "accuracy": e.baseline.accuracy,
                    "macro_f1": e.baseline.macro_f1,
                    "f_avg": e.baseline.f_avg,
                },
            }),
        );
    }
    Value::Object(m)
}

/// Mean and sample standard deviation.
pub fn mean_std(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    if v.is_empty() {
        return (0.0, 0.0);
    }
    let mean = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}

/// The cross-validation table: one line per fold and head, then mean ± std.
pub fn cv_text(folds: &[Vec<HeadEvaluation>]) -> String {
    let mut s = String::new();
    let heads: Vec<String> = folds
        .first()
        .map(|f| f.iter().map(|e| e.head.clone()).collect())
        .unwrap_or_default();
    for head in &heads {
        let _ = writeln!(s, "== {head} ==");
        let _ = writeln!(
            s,
            "{:<6} {:>7} {:>12} {:>12} {:>12}",
            "fold", "rows", "accuracy", "macro-F1", "F_avg"
        );
        let mut acc = Vec::new();
        let mut mf = Vec::new();
        let mut fa = Vec::new();
        for (i, fold) in folds.iter().enumerate() {
            if let Some(e) = fold.iter().find(|e| &e.head == head) {
                let r = &e.report;
                acc.push(r.accuracy);
                mf.push(r.macro_f1);
                if let Some(f) = r.f_avg {
                    fa.push(f);
                }
                let _ = writeln!(
                    s,
                    "{:<6} {:>7} {:>12} {:>12} {:>12}",
                    i + 1,
                    r.n,
                    pct(r.accuracy),
                    pct(r.macro_f1),
                    r.f_avg.map_or_else(|| "-".into(), pct)
                );
            }
        }
        let ms = |v: &[f64]| {
            if v.is_empty() {
                "-".to_string()
            } else {
                let (m, sd) = mean_std(v);
                format!("{:.2}±{:.2}", m * 100.0, sd * 100.0)
            }
        };
        let _ = writeln!(
            s,
            "{:<6} {:>7} {:>12} {:>12} {:>12}\n",
            "mean",
            "",
            ms(&acc),
            ms(&mf),
            ms(&fa)
        );
    }
    s
}

/// The cross-validation JSON: per fold and head, and the mean and std.
pub fn cv_json(folds: &[Vec<HeadEvaluation>]) -> Value {
    let heads: Vec<String> = folds
        .first()
        .map(|f| f.iter().map(|e| e.head.clone()).collect())
        .unwrap_or_default();
    let mut m = serde_json::Map::new();
    for head in heads {
        let rs: Vec<&Report> = folds
            .iter()
            .filter_map(|f| f.iter().find(|e| e.head == head))
            .map(|e| &e.report)
            .collect();
        let stat = |f: &dyn Fn(&Report) -> Option<f64>| {
            let v: Vec<f64> = rs.iter().filter_map(|r| f(r)).collect();
            if v.is_empty() {
                return Value::Null;
            }
            let (mean, std) = mean_std(&v);
            json!({"mean": mean, "std": std, "folds": v})
        };
        m.insert(
            head,
            json!({
                "accuracy": stat(&|r| Some(r.accuracy)),
                "macro_f1": stat(&|r| Some(r.macro_f1)),
                "f_avg": stat(&|r| r.f_avg),
            }),
        );
    }
    Value::Object(m)
}

/// The most heavily weighted features of each label of each head.
pub fn explain_text(model: &Classifier, top: usize) -> String {
    let mut s = String::new();
    for (name, head) in &model.heads {
        let m = &head.model;
        let k = m.n_classes;
        for (c, label) in head.labels.as_slice().iter().enumerate() {
            let mut idx: Vec<usize> = (0..m.n_features).collect();
            let w = |j: usize| m.weights.get(j * k + c).copied().unwrap_or(0.0);
            // For naive Bayes, rank by how much more likely the feature is under this class
            // than under the others (log-probabilities are all negative).
            let score = |j: usize| -> f64 {
                match m.kind {
                    crate::model::ModelKind::Logistic => w(j),
                    crate::model::ModelKind::NaiveBayes => {
                        let others: f64 = (0..k)
                            .filter(|&o| o != c)
                            .map(|o| m.weights.get(j * k + o).copied().unwrap_or(0.0))
                            .sum::<f64>()
                            / (k.saturating_sub(1).max(1)) as f64;
                        w(j) - others
                    }
                }
            };
            idx.sort_by(|&a, &b| score(b).total_cmp(&score(a)).then(a.cmp(&b)));
            let _ = writeln!(s, "== {name} / {label} ==");
            for &j in idx.iter().take(top) {
                let _ = writeln!(
                    s,
                    "{:>9.4}  {}",
                    score(j),
                    model.vectorizer.term(j).unwrap_or("?")
                );
            }
            s.push('\n');
        }
    }
    s
}

/// `info`: the model's format, heads, labels, vocabulary and training parameters.
pub fn info_json(model: &Classifier) -> Value {
    let heads: serde_json::Map<String, Value> = model
        .heads
        .iter()
        .map(|(n, h)| {
            (
                n.clone(),
                json!({
                    "labels": h.labels,
                    "class_counts": h.class_counts,
                    "rows": h.n_rows,
                    "per_target_models": h.per_target.keys().collect::<Vec<_>>(),
                    "temperature": h.temperature,
                    "iterations": h.model.iterations,
                    "params": h.params,
                }),
            )
        })
        .collect();
    json!({
        "format": crate::model::persist::FORMAT,
        "version": crate::model::persist::VERSION,
        "vocabulary": model.vectorizer.n_features(),
        "idf_documents": model.vectorizer.n_docs(),
        "features": model.vectorizer.analyzer().params(),
        "heads": heads,
        "training": model.training,
    })
}
