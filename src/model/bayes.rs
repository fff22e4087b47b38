//! Multinomial naive Bayes on sparse rows, fitted by linfa-bayes.
//!
//! Multinomial NB only needs, per class, the sum of its rows' feature values. We sum the sparse
//! rows per class (weighted by sample weights), hand linfa-bayes's `MultinomialNb` one dense row
//! per class (`k × n_features`, never `n × n_features`), and read back its smoothed feature
//! log-probabilities. The class priors come from the real class counts (linfa-bayes would see
//! one row per class). The result is a [`LinearModel`]: the joint log-likelihood is
//! `x·log θ + log prior`, and probabilities are its softmax (log-sum-exp, so long documents do
//! not underflow).
//!
//! linfa-bayes 0.8.1 leaves a `dbg!` in `MultinomialNb::fit_with`, which prints the class
//! histograms to standard error during `fit`. The `geostance` binary silences standard error
//! around this call; library users will see those lines.
//!
//! | Name | Default | Purpose | Range |
//! | :--- | :--- | :--- | :--- |
//! | `alpha` | `0.1` | additive (Laplace/Lidstone) smoothing | `> 0` |

use linfa::ParamGuard;
use linfa::dataset::{AsSingleTargets, DatasetBase};
use linfa::traits::Fit;
use linfa_bayes::MultinomialNb;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use super::linear::{LinearModel, ModelKind};
use super::logistic::sample_weights;
use crate::error::{Error, Result};
use crate::features::CsrMatrix;

/// Unchecked naive-Bayes parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NaiveBayesParams(ValidNaiveBayesParams);

/// Checked naive-Bayes parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidNaiveBayesParams {
    /// Additive smoothing.
    pub alpha: f64,
    /// Balanced class weights (uniform priors, rows weighted by `n / (k · n_c)`).
    pub balanced: bool,
}

impl Default for NaiveBayesParams {
    fn default() -> Self {
        NaiveBayesParams(ValidNaiveBayesParams {
            alpha: 0.1,
            balanced: false,
        })
    }
}

impl NaiveBayesParams {
    /// Default parameters.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the smoothing.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.0.alpha = alpha;
        self
    }
    /// Balanced class weights on or off.
    pub fn balanced(mut self, on: bool) -> Self {
        self.0.balanced = on;
        self
    }
}

impl ParamGuard for NaiveBayesParams {
    type Checked = ValidNaiveBayesParams;
    type Error = Error;

    fn check_ref(&self) -> Result<&ValidNaiveBayesParams> {
        if !(self.0.alpha.is_finite() && self.0.alpha > 0.0) {
            return Err(Error::InvalidParam {
                name: "alpha",
                value: self.0.alpha.to_string(),
                reason: "naive Bayes smoothing must be a finite number > 0".into(),
            });
        }
        Ok(&self.0)
    }

    fn check(self) -> Result<ValidNaiveBayesParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

impl<R, T> Fit<R, T, Error> for ValidNaiveBayesParams
where
    R: linfa::dataset::Records + std::borrow::Borrow<CsrMatrix>,
    T: AsSingleTargets<Elem = usize>,
{
    type Object = LinearModel;

    fn fit(&self, dataset: &DatasetBase<R, T>) -> Result<LinearModel> {
        let x: &CsrMatrix = dataset.records.borrow();
        let y: Vec<usize> = dataset.as_single_targets().iter().copied().collect();
        let k = y.iter().copied().max().map_or(0, |m| m + 1);
        if k < 2 {
            return Err(Error::TooFewLabels {
                head: "naive-bayes".into(),
                found: k.to_string(),
            });
        }
        let f = x.n_cols();
        let weights = sample_weights(&y, k, dataset.weights(), self.balanced);
        let mut sums = Array2::<f64>::zeros((k, f));
        let mut class_weight = vec![0.0f64; k];
        for (r, (&c, &w)) in y.iter().zip(&weights).enumerate() {
            if let Some(cw) = class_weight.get_mut(c) {
                *cw += w;
            }
            for (j, v) in x.row(r).iter() {
                if let Some(s) = sums.get_mut((c, j)) {
                    *s += w * v;
                }
            }
        }
        let classes = Array1::from_iter(0..k);
        let ds = DatasetBase::new(sums, classes);
        let nb: MultinomialNb<f64, usize> = linfa_bayes::MultinomialNbParams::new()
            .alpha(self.alpha)
            .fit(&ds)?;
        let log_prob = feature_log_probs(&nb, k, f)?;
        let total: f64 = class_weight.iter().sum();
        let bias = class_weight
            .iter()
            .map(|&c| {
                if c > 0.0 && total > 0.0 {
                    (c / total).ln()
                } else {
                    f64::MIN / 4.0
                }
            })
            .collect();
        let mut weights = vec![0.0; f * k];
        for (c, lp) in log_prob.iter().enumerate() {
            for (j, &v) in lp.iter().enumerate() {
                if let Some(w) = weights.get_mut(j * k + c) {
                    *w = v;
                }
            }
        }
        let model = LinearModel {
            kind: ModelKind::NaiveBayes,
            n_features: f,
            n_classes: k,
            weights,
            bias,
            iterations: 0,
        };
        model.validate().map_err(Error::Optimizer)?;
        Ok(model)
    }
}

/// Reads each class's `feature_log_prob` out of a fitted `MultinomialNb` through its serde
/// form (linfa-bayes keeps the field private).
fn feature_log_probs(nb: &MultinomialNb<f64, usize>, k: usize, f: usize) -> Result<Vec<Vec<f64>>> {
    let bad = |what: &str| Error::Optimizer(format!("unexpected linfa-bayes model layout: {what}"));
    let value = serde_json::to_value(nb).map_err(|e| bad(&e.to_string()))?;
    let info = value
        .get("class_info")
        .ok_or_else(|| bad("no class_info"))?;
    (0..k)
        .map(|c| {
            let data = info
                .get(c.to_string())
                .and_then(|h| h.get("feature_log_prob"))
                .and_then(|a| a.get("data"))
                .and_then(|d| d.as_array())
                .ok_or_else(|| bad("no feature_log_prob"))?;
            let v: Vec<f64> = data.iter().filter_map(serde_json::Value::as_f64).collect();
            if v.len() == f {
                Ok(v)
            } else {
                Err(bad("feature count"))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::traits::Predict;

    #[test]
    fn matches_scikit_learn_multinomial_nb() {
        // The linfa-bayes doc example, whose values were computed with
        // sklearn.naive_bayes.MultinomialNB(alpha=1): joint log-likelihoods of the training rows.
        let rows = [[1., 0.], [2., 0.], [3., 0.], [0., 1.], [0., 2.], [0., 3.]];
        let mut x = CsrMatrix::new(2);
        for r in rows {
            let (idx, val): (Vec<u32>, Vec<f32>) = r
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0.0)
                .map(|(i, v)| (i as u32, *v as f32))
                .unzip();
            x.push_row(&idx, &val);
        }
        let y = Array1::from(vec![0usize, 0, 0, 1, 1, 1]);
        let ds = DatasetBase::new(x.clone(), y.clone());
        let m = NaiveBayesParams::new().alpha(1.0).fit(&ds).unwrap();
        let expected0 = [
            -0.82667857,
            -0.96020997,
            -1.09374136,
            -2.77258872,
            -4.85203026,
            -6.93147181,
        ];
        let mut s = [0.0; 2];
        for (r, e) in expected0.iter().enumerate() {
            m.scores_into(x.row(r), &mut s);
            assert!((s[0] - e).abs() < 1e-6, "row {r}: {} vs {e}", s[0]);
        }
        let pred: Array1<usize> = m.predict(&x);
        assert_eq!(pred, y);
    }

    #[test]
    fn smoothing_must_be_positive() {
        assert!(NaiveBayesParams::new().alpha(0.0).check().is_err());
    }
}
