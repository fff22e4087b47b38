//! Models: label sets, the two linfa estimators on sparse rows, and the trained classifier.
//!
//! - [`logistic`]: multinomial logistic regression (`Fit` on a [`CsrMatrix`](crate::features::CsrMatrix)).
//! - [`bayes`]: multinomial naive Bayes through linfa-bayes.
//! - [`linear`]: the fitted [`LinearModel`] both produce, with linfa `PredictInplace` impls.
//! - [`persist`]: the versioned model file.

pub mod bayes;
pub mod labels;
pub mod lbfgs;
pub mod linear;
pub mod logistic;
pub mod persist;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use bayes::{NaiveBayesParams, ValidNaiveBayesParams};
pub use labels::LabelSet;
pub use linear::{LinearModel, ModelKind};
pub use logistic::{LogisticParams, ValidLogisticParams};

use crate::features::{RowView, TargetMode, Vectorizer};

/// One trained head (e.g. `stance` or `sentiment`): its labels and fitted weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Head {
    /// The sorted label set; class `k` is `labels[k]`.
    pub labels: LabelSet,
    /// The model for every target (in per-target mode: the pooled fallback).
    pub model: LinearModel,
    /// Per-target models (per-target mode only), keyed by the lowercased target.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub per_target: BTreeMap<String, LinearModel>,
    /// Per-class offsets added to the scores (empty = none), chosen by `tune` on held-out folds
    /// to maximise the head's score (F_avg or macro-F1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offsets: Vec<f64>,
    /// Temperature applied to scores before the softmax (1 = none), fitted on held-out folds.
    #[serde(default = "one")]
    pub temperature: f64,
    /// Rows the head was trained on.
    pub n_rows: usize,
    /// Training rows per class (for the majority-class baseline).
    pub class_counts: Vec<usize>,
    /// Estimator hyperparameters, for `info`.
    pub params: serde_json::Value,
}

fn one() -> f64 {
    1.0
}

/// The smallest calibration temperature a model file may hold (training fits one in
/// `[e^-3, e^3]`); with [`linear::MAX_WEIGHT`] it keeps scaled scores finite.
pub const MIN_TEMPERATURE: f64 = 1e-6;
/// The largest calibration temperature a model file may hold.
pub const MAX_TEMPERATURE: f64 = 1e6;

impl Head {
    /// The model used for `target`.
    pub fn model_for(&self, target: Option<&str>) -> &LinearModel {
        match target {
            Some(t) if !self.per_target.is_empty() => {
                let t = t.trim();
                // Most targets are already keys (lowercase): look up without allocating.
                let hit = if t.chars().any(char::is_uppercase) {
                    self.per_target.get(&target_key(t))
                } else {
                    self.per_target.get(t)
                };
                hit.unwrap_or(&self.model)
            }
            _ => &self.model,
        }
    }

    /// Calibrated class probabilities of one row for `target`.
    pub fn proba(&self, row: RowView<'_>, target: Option<&str>, out: &mut [f64]) {
        let m = self.model_for(target);
        m.scores_into(row, out);
        for (v, o) in out.iter_mut().zip(&self.offsets) {
            *v += o;
        }
        if self.temperature != 1.0 && self.temperature > 0.0 {
            for v in out.iter_mut() {
                *v /= self.temperature;
            }
        }
        linear::softmax_in_place(out);
    }

    /// Checks shapes against the vectorizer, the weights and offsets (see
    /// [`LinearModel::validate`]), the temperature range, and that labels are sorted and
    /// distinct with one count each.
    pub fn validate(&self, n_features: usize) -> Result<(), String> {
        for m in std::iter::once(&self.model).chain(self.per_target.values()) {
            m.validate()?;
            if m.n_features != n_features {
                return Err(format!(
                    "a head has {} feature weights but the vocabulary has {n_features} terms",
                    m.n_features
                ));
            }
            if m.n_classes != self.labels.len() {
                return Err(format!(
                    "a head has {} labels but weights for {} classes",
                    self.labels.len(),
                    m.n_classes
                ));
            }
        }
        if !(self.offsets.is_empty() || self.offsets.len() == self.labels.len())
            || self
                .offsets
                .iter()
                .any(|o| !o.is_finite() || o.abs() > linear::MAX_WEIGHT)
        {
            return Err(format!(
                "offsets must be one finite number of magnitude at most {:e} per label",
                linear::MAX_WEIGHT
            ));
        }
        if !(MIN_TEMPERATURE..=MAX_TEMPERATURE).contains(&self.temperature) {
            return Err(format!(
                "temperature must be a number in [{MIN_TEMPERATURE:e}, {MAX_TEMPERATURE:e}], found {}",
                self.temperature
            ));
        }
        if LabelSet::from_sorted(self.labels.as_slice().to_vec()).is_none() {
            return Err("labels must be sorted and distinct".into());
        }
        if self.class_counts.len() != self.labels.len() {
            return Err(format!(
                "a head has {} labels but {} class counts",
                self.labels.len(),
                self.class_counts.len()
            ));
        }
        Ok(())
    }
}

/// The key under which a per-target model is stored.
pub fn target_key(target: &str) -> String {
    target.trim().to_lowercase()
}

/// What training saw, stored in the model for `info`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// The data files (as given on the command line).
    pub data: Vec<String>,
    /// Rows read.
    pub rows: usize,
    /// The seed.
    pub seed: u64,
    /// The target mode chosen, and why.
    pub target_mode: TargetMode,
    /// Why this target mode (for `auto`).
    pub target_mode_reason: String,
    /// Estimator name.
    pub estimator: ModelKind,
    /// Whether hyperparameters were tuned by cross-validation, and the scores seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tuning: Option<serde_json::Value>,
}

/// A trained geostance model: the vectorizer and one or more heads.
#[derive(Debug, Clone)]
pub struct Classifier {
    /// The fitted vectorizer.
    pub vectorizer: Vectorizer,
    /// Heads by name (`stance`, `sentiment`).
    pub heads: BTreeMap<String, Head>,
    /// Training metadata.
    pub training: TrainingInfo,
}

impl Classifier {
    /// The head called `name`.
    pub fn head(&self, name: &str) -> Option<&Head> {
        self.heads.get(name)
    }
}
