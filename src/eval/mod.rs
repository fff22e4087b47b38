//! Evaluation: metrics with scikit-learn's conventions and seeded stratified splits.

pub mod metrics;
pub mod split;

pub use metrics::{ConfusionCounter, Report};

/// An evaluation of one head, with the majority-class baseline.
#[derive(Debug, Clone)]
pub struct HeadEvaluation {
    /// Head name.
    pub head: String,
    /// The model's report.
    pub report: Report,
    /// The label the baseline always predicts (the most frequent training label).
    pub baseline_label: String,
    /// The baseline's report.
    pub baseline: Report,
}
