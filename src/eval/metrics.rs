//! Classification metrics with scikit-learn's conventions.
//!
//! - The confusion matrix has the **true** labels on rows and the **predicted** labels on
//!   columns (`sklearn.metrics.confusion_matrix`). linfa's `ConfusionMatrix` is not used: with
//!   its documented call order its precision and recall come out swapped, and its F1 is not
//!   macro-F1.
//! - Precision of a label that is never predicted, or recall of a label with no support, is
//!   undefined: it is `None` here (JSON `null`), and counts as 0 in the averages, as
//!   scikit-learn's `zero_division="warn"` does. F1 is 0 when precision + recall is 0.
//! - Averages run over the labels that occur in the truth or the predictions (scikit-learn's
//!   `unique_labels`); `weighted` weights by support.
//! - `F_avg` is SemEval-2016's score: the mean F1 of the `favor` and `against` labels (matched
//!   case-insensitively; `favour` too), defined only when the label set has both.

use serde::Serialize;

/// Scores of one label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelScores {
    /// The label.
    pub label: String,
    /// Precision (`None`: never predicted).
    pub precision: Option<f64>,
    /// Recall (`None`: no support).
    pub recall: Option<f64>,
    /// F1.
    pub f1: f64,
    /// Number of true instances.
    pub support: u64,
}

/// The labelled confusion matrix: `matrix[true][predicted]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confusion {
    /// Labels, in row and column order.
    pub labels: Vec<String>,
    /// Counts, rows = true labels, columns = predicted labels.
    pub matrix: Vec<Vec<u64>>,
}

/// A full classification report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Number of rows scored.
    pub n: u64,
    /// Accuracy.
    pub accuracy: f64,
    /// Unweighted mean F1 over the labels present.
    pub macro_f1: f64,
    /// Support-weighted mean F1.
    pub weighted_f1: f64,
    /// Mean precision and recall (macro), for the table.
    #[serde(skip)]
    pub macro_precision: f64,
    /// Macro recall.
    #[serde(skip)]
    pub macro_recall: f64,
    /// Weighted precision.
    #[serde(skip)]
    pub weighted_precision: f64,
    /// Weighted recall.
    #[serde(skip)]
    pub weighted_recall: f64,
    /// SemEval F_avg, where favor and against labels both exist.
    pub f_avg: Option<f64>,
    /// Per-label scores for the labels present.
    pub labels: Vec<LabelScores>,
    /// The confusion matrix over all known labels.
    pub confusion: Confusion,
}

/// Accumulates a confusion matrix; streaming-friendly.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfusionCounter {
    labels: Vec<String>,
    counts: Vec<u64>,
}

impl ConfusionCounter {
    /// A counter over `labels` (class `i` is `labels[i]`).
    pub fn new(labels: &[String]) -> Self {
        let k = labels.len();
        ConfusionCounter {
            labels: labels.to_vec(),
            counts: vec![0; k * k],
        }
    }

    /// Counts one (truth, prediction) pair of class indices; out-of-range pairs are ignored.
    pub fn add(&mut self, truth: usize, pred: usize) {
        let k = self.labels.len();
        if truth < k
            && pred < k
            && let Some(c) = self.counts.get_mut(truth * k + pred)
        {
            *c += 1;
        }
    }

    /// Adds another counter over the same labels.
    pub fn merge(&mut self, other: &ConfusionCounter) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    fn at(&self, t: usize, p: usize) -> u64 {
        self.counts
            .get(t * self.labels.len() + p)
            .copied()
            .unwrap_or(0)
    }

    /// Number of pairs counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The report.
    pub fn report(&self) -> Report {
        let k = self.labels.len();
        let n = self.total();
        let support: Vec<u64> = (0..k)
            .map(|t| (0..k).map(|p| self.at(t, p)).sum())
            .collect();
        let predicted: Vec<u64> = (0..k)
            .map(|p| (0..k).map(|t| self.at(t, p)).sum())
            .collect();
        let correct: u64 = (0..k).map(|i| self.at(i, i)).sum();
        let mut labels = Vec::new();
        for i in 0..k {
            let s = support.get(i).copied().unwrap_or(0);
            let pr = predicted.get(i).copied().unwrap_or(0);
            if s == 0 && pr == 0 {
                continue;
            }
            let tp = self.at(i, i) as f64;
            let precision = (pr > 0).then(|| tp / pr as f64);
            let recall = (s > 0).then(|| tp / s as f64);
            let (p0, r0) = (precision.unwrap_or(0.0), recall.unwrap_or(0.0));
            let f1 = if p0 + r0 > 0.0 {
                2.0 * p0 * r0 / (p0 + r0)
            } else {
                0.0
            };
            labels.push(LabelScores {
                label: self.labels.get(i).cloned().unwrap_or_default(),
                precision,
                recall,
                f1,
                support: s,
            });
        }
        let m = labels.len().max(1) as f64;
        let sum_support: u64 = labels.iter().map(|l| l.support).sum();
        let wsum = |f: &dyn Fn(&LabelScores) -> f64| -> f64 {
            if sum_support == 0 {
                0.0
            } else {
                labels.iter().map(|l| f(l) * l.support as f64).sum::<f64>() / sum_support as f64
            }
        };
        let msum = |f: &dyn Fn(&LabelScores) -> f64| labels.iter().map(f).sum::<f64>() / m;
        let f1_of = |name: &[&str]| {
            labels
                .iter()
                .find(|l| name.iter().any(|n| l.label.eq_ignore_ascii_case(n)))
                .map(|l| l.f1)
        };
        let has = |name: &[&str]| {
            self.labels
                .iter()
                .any(|l| name.iter().any(|n| l.eq_ignore_ascii_case(n)))
        };
        let favor = ["favor", "favour"];
        let against = ["against"];
        let f_avg = (has(&favor) && has(&against))
            .then(|| (f1_of(&favor).unwrap_or(0.0) + f1_of(&against).unwrap_or(0.0)) / 2.0);
        Report {
            n,
            accuracy: if n == 0 {
                0.0
            } else {
                correct as f64 / n as f64
            },
            macro_f1: msum(&|l| l.f1),
            weighted_f1: wsum(&|l| l.f1),
            macro_precision: msum(&|l| l.precision.unwrap_or(0.0)),
            macro_recall: msum(&|l| l.recall.unwrap_or(0.0)),
            weighted_precision: wsum(&|l| l.precision.unwrap_or(0.0)),
            weighted_recall: wsum(&|l| l.recall.unwrap_or(0.0)),
            f_avg,
            labels,
            confusion: Confusion {
                labels: self.labels.clone(),
                matrix: (0..k)
                    .map(|t| (0..k).map(|p| self.at(t, p)).collect())
                    .collect(),
            },
        }
    }
}

/// Computes a report from class-index vectors.
pub fn report(labels: &[String], truth: &[usize], pred: &[usize]) -> Report {
    let mut c = ConfusionCounter::new(labels);
    for (&t, &p) in truth.iter().zip(pred) {
        c.add(t, p);
    }
    c.report()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 5e-3, "{a} vs {b}");
    }

    #[test]
    fn matches_scikit_learn_classification_report_docstring() {
        // y_true=[0,1,2,2,2], y_pred=[0,0,2,2,1]: the sklearn docstring example.
        let r = report(
            &labels(&["class 0", "class 1", "class 2"]),
            &[0, 1, 2, 2, 2],
            &[0, 0, 2, 2, 1],
        );
        let p: Vec<f64> = r.labels.iter().map(|l| l.precision.unwrap()).collect();
        let rc: Vec<f64> = r.labels.iter().map(|l| l.recall.unwrap()).collect();
        let f: Vec<f64> = r.labels.iter().map(|l| l.f1).collect();
        for (a, b) in p.iter().zip([0.50, 0.00, 1.00]) {
            close(*a, b)
        }
        for (a, b) in rc.iter().zip([1.00, 0.00, 0.67]) {
            close(*a, b)
        }
        for (a, b) in f.iter().zip([0.67, 0.00, 0.80]) {
            close(*a, b)
        }
        close(r.accuracy, 0.60);
        close(r.macro_precision, 0.50);
        close(r.macro_recall, 0.56);
        close(r.macro_f1, 0.49);
        close(r.weighted_precision, 0.70);
        close(r.weighted_recall, 0.60);
        close(r.weighted_f1, 0.61);
        assert_eq!(
            r.confusion.matrix,
            vec![vec![1, 0, 0], vec![1, 0, 0], vec![0, 1, 2]]
        );
        assert_eq!(r.f_avg, None);
    }

    #[test]
    fn precision_and_recall_are_not_swapped() {
        // linfa's documented call order gives precision 0.75 and recall 1.0 here; scikit-learn
        // (pos_label=1) gives precision 1.0 and recall 0.75.
        let r = report(
            &labels(&["0", "1"]),
            &[1, 1, 0, 1, 0, 1],
            &[0, 1, 0, 1, 0, 1],
        );
        let one = &r.labels[1];
        assert_eq!(one.precision, Some(1.0));
        assert_eq!(one.recall, Some(0.75));
    }

    #[test]
    fn never_predicted_label_and_f_avg() {
        // sklearn: f1_score([0,0,1,2],[0,0,0,2], average='macro') = (0.8 + 0 + 1)/3 = 0.6
        let l = labels(&["AGAINST", "FAVOR", "NONE"]);
        let r = report(&l, &[0, 0, 1, 2], &[0, 0, 0, 2]);
        assert_eq!(r.labels[1].precision, None);
        assert_eq!(r.labels[1].recall, Some(0.0));
        close(r.macro_f1, 0.6);
        close(r.f_avg.unwrap(), 0.4);
        // A label absent from truth and predictions drops out of the averages.
        let r = report(&l, &[0, 2], &[0, 2]);
        assert_eq!(r.labels.len(), 2);
        close(r.macro_f1, 1.0);
        assert_eq!(r.f_avg, Some(0.5));
        let empty = report(&l, &[], &[]);
        assert_eq!(empty.n, 0);
        assert_eq!(empty.accuracy, 0.0);
    }
}
