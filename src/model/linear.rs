//! A fitted linear classifier over sparse rows: scores `z = x·W + b`, probabilities
//! `softmax(z)` computed with log-sum-exp. Both heads' estimators (logistic regression and
//! multinomial naive Bayes, whose joint log-likelihood is linear in the features) produce one.

use linfa::traits::{Predict, PredictInplace};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use crate::features::{CsrMatrix, RowView};

/// Which estimator produced a [`LinearModel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelKind {
    /// Multinomial logistic regression (L-BFGS on the sparse matrix).
    Logistic,
    /// linfa-bayes multinomial naive Bayes.
    NaiveBayes,
}

impl ModelKind {
    /// The name used on the command line and in model files.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Logistic => "logistic",
            ModelKind::NaiveBayes => "naive-bayes",
        }
    }
}

/// Weights of a linear classifier: `n_features × n_classes` (feature-major) plus a bias per class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearModel {
    /// The estimator that produced it.
    pub kind: ModelKind,
    /// Number of feature columns.
    pub n_features: usize,
    /// Number of classes.
    pub n_classes: usize,
    /// `weights[j * n_classes + k]` is the weight of feature `j` for class `k`.
    pub weights: Vec<f64>,
    /// Bias (intercept, or log prior) per class.
    pub bias: Vec<f64>,
    /// Optimiser iterations used (0 for closed-form estimators).
    #[serde(default)]
    pub iterations: u64,
}

/// The largest weight or bias magnitude a model may have. Rows are L2-normalised, so scores
/// stay far from overflowing (`|score| <= MAX_WEIGHT * (1 + sqrt(n_features))`); trained
/// models are many orders of magnitude below it.
pub const MAX_WEIGHT: f64 = 1e100;

impl LinearModel {
    /// Checks that the shapes agree and every number is finite and at most [`MAX_WEIGHT`] in
    /// magnitude (so scores cannot overflow to infinity and probabilities to NaN).
    pub fn validate(&self) -> Result<(), String> {
        if self.n_classes == 0 {
            return Err("a head has no classes".into());
        }
        let expected = self.n_features.checked_mul(self.n_classes);
        if expected != Some(self.weights.len()) || self.bias.len() != self.n_classes {
            return Err(format!(
                "weights have {} values and bias {}, expected {} x {} and {}",
                self.weights.len(),
                self.bias.len(),
                self.n_features,
                self.n_classes,
                self.n_classes
            ));
        }
        if self
            .weights
            .iter()
            .chain(&self.bias)
            .any(|w| !w.is_finite() || w.abs() > MAX_WEIGHT)
        {
            return Err(format!(
                "weights must be finite numbers of magnitude at most {MAX_WEIGHT:e}"
            ));
        }
        Ok(())
    }

    /// Rounds every weight to `digits` significant digits. Trained models are stored this way:
    /// the file is half the size and no prediction changes beyond the 6th decimal.
    pub fn round_weights(&mut self, digits: i32) {
        for w in self.weights.iter_mut().chain(self.bias.iter_mut()) {
            *w = round_significant(*w, digits);
        }
    }

    /// Raw scores `x·W + b` of one row, written into `out` (length `n_classes`).
    pub fn scores_into(&self, row: RowView<'_>, out: &mut [f64]) {
        let k = self.n_classes;
        out.copy_from_slice(self.bias.get(..k).unwrap_or(&[]));
        for (j, v) in row.iter() {
            if let Some(w) = self.weights.get(j * k..j * k + k) {
                for (o, wk) in out.iter_mut().zip(w) {
                    *o += v * wk;
                }
            }
        }
    }

    /// Class probabilities of one row (softmax of the scores, computed stably).
    pub fn proba_into(&self, row: RowView<'_>, out: &mut [f64]) {
        self.scores_into(row, out);
        softmax_in_place(out);
    }

    /// Class probabilities for every row: `n_rows × n_classes`.
    pub fn predict_proba(&self, x: &CsrMatrix) -> Array2<f64> {
        let mut p = Array2::zeros((x.n_rows(), self.n_classes));
        let mut buf = vec![0.0; self.n_classes];
        for (r, mut out) in p.rows_mut().into_iter().enumerate() {
            self.proba_into(x.row(r), &mut buf);
            for (o, b) in out.iter_mut().zip(&buf) {
                *o = *b;
            }
        }
        p
    }
}

/// `x` rounded to `digits` significant digits (0 and non-finite values unchanged).
pub fn round_significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    let r = (x * scale).round() / scale;
    if r.is_finite() { r } else { x }
}

/// Replaces scores by probabilities: `exp(z - max) / Σ exp(z - max)`.
///
/// Dividing by the sum (rather than subtracting `logsumexp(z)`) keeps the probabilities summing
/// to 1 when the scores are so large that `max + ln(Σ …)` rounds back to `max`. Scores that are
/// all infinite or NaN give the uniform distribution.
pub fn softmax_in_place(z: &mut [f64]) {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !m.is_finite() {
        let u = 1.0 / z.len().max(1) as f64;
        z.iter_mut().for_each(|v| *v = u);
        return;
    }
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = (*v - m).exp();
        sum += *v;
    }
    // sum >= 1: the largest score contributes exp(0).
    for v in z.iter_mut() {
        *v /= sum;
    }
}

/// `ln Σ exp(z)`, without overflow.
pub fn log_sum_exp(z: &[f64]) -> f64 {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !m.is_finite() {
        return m;
    }
    m + z.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
}

/// Index of the largest value; ties go to the lowest index (the first label in sorted order).
pub fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if v.get(best).is_some_and(|&b| x > b) {
            best = i;
        }
    }
    best
}

/// Predicts class indices (linfa's `predict` on a [`CsrMatrix`]).
impl PredictInplace<CsrMatrix, Array1<usize>> for LinearModel {
    fn predict_inplace(&self, x: &CsrMatrix, y: &mut Array1<usize>) {
        let mut buf = vec![0.0; self.n_classes];
        for (r, out) in y.iter_mut().enumerate().take(x.n_rows()) {
            self.scores_into(x.row(r), &mut buf);
            *out = argmax(&buf);
        }
    }

    fn default_target(&self, x: &CsrMatrix) -> Array1<usize> {
        Array1::zeros(x.n_rows())
    }
}

/// Predicts class probabilities (`n_rows × n_classes`).
impl PredictInplace<CsrMatrix, Array2<f64>> for LinearModel {
    fn predict_inplace(&self, x: &CsrMatrix, y: &mut Array2<f64>) {
        *y = self.predict_proba(x);
    }

    fn default_target(&self, x: &CsrMatrix) -> Array2<f64> {
        Array2::zeros((x.n_rows(), self.n_classes))
    }
}

/// `model.predict(&x)` for class indices.
impl<'a> Predict<&'a CsrMatrix, Array1<usize>> for LinearModel {
    fn predict(&self, x: &'a CsrMatrix) -> Array1<usize> {
        let mut y = PredictInplace::<CsrMatrix, Array1<usize>>::default_target(self, x);
        self.predict_inplace(x, &mut y);
        y
    }
}

/// `model.predict(&x)` for probabilities.
impl<'a> Predict<&'a CsrMatrix, Array2<f64>> for LinearModel {
    fn predict(&self, x: &'a CsrMatrix) -> Array2<f64> {
        self.predict_proba(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_is_stable() {
        let mut z = [1000.0, 1000.0, -1000.0];
        softmax_in_place(&mut z);
        assert!((z[0] - 0.5).abs() < 1e-12 && z[2] == 0.0);
        assert_eq!(argmax(&[1.0, 3.0, 3.0]), 1);
        assert_eq!(log_sum_exp(&[]), f64::NEG_INFINITY);
    }

    /// Found by fuzzing model files: with scores near 1e19, `max + ln(2)` rounded to `max`,
    /// so two tied classes both got probability 1 (they summed to 2).
    #[test]
    fn regression_softmax_of_huge_tied_scores_sums_to_one() {
        let mut z = [1.8e19, 1.8e19, 0.0];
        softmax_in_place(&mut z);
        assert_eq!(z, [0.5, 0.5, 0.0]);
        let mut z = [f64::INFINITY, 0.0];
        softmax_in_place(&mut z);
        assert_eq!(z, [0.5, 0.5]);
        let mut z: [f64; 0] = [];
        softmax_in_place(&mut z);
    }

    #[test]
    fn predicts_through_linfa_traits() {
        let m = LinearModel {
            kind: ModelKind::Logistic,
            n_features: 2,
            n_classes: 2,
            weights: vec![1.0, -1.0, -1.0, 1.0],
            bias: vec![0.0, 0.0],
            iterations: 0,
        };
        assert!(m.validate().is_ok());
        let mut x = CsrMatrix::new(2);
        x.push_row(&[0], &[1.0]);
        x.push_row(&[1], &[2.0]);
        let y: Array1<usize> = m.predict(&x);
        assert_eq!(y.to_vec(), vec![0, 1]);
        let p: Array2<f64> = m.predict(&x);
        assert!((p[[0, 0]] - 1.0 / (1.0 + (-2.0f64).exp())).abs() < 1e-12);
        let bad = LinearModel {
            weights: vec![1.0],
            ..m
        };
        assert!(bad.validate().is_err());
    }

    /// Found by fuzzing model files: finite but huge weights overflowed the scores to
    /// infinity, and the softmax turned them into NaN probabilities.
    #[test]
    fn regression_huge_weights_are_rejected() {
        let m = LinearModel {
            kind: ModelKind::Logistic,
            n_features: 1,
            n_classes: 2,
            weights: vec![1e308, -1e308],
            bias: vec![0.0, 0.0],
            iterations: 0,
        };
        assert!(m.validate().unwrap_err().contains("magnitude"));
        let nan = LinearModel {
            bias: vec![f64::NAN, 0.0],
            weights: vec![0.0, 0.0],
            ..m
        };
        assert!(nan.validate().is_err());
    }
}
