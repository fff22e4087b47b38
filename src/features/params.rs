//! Feature-extraction parameters: unchecked [`FeatureParams`], checked [`ValidFeatureParams`].

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::Language;

/// How the target of a row (the country or topic the labels are about) shapes the features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TargetMode {
    /// Choose from the data at fit time (see [`crate::pipeline`]).
    #[default]
    Auto,
    /// Ignore the target: plain bag of n-grams.
    None,
    /// The target is mentioned in the text: replace the mention by a marker and add context
    /// features tied to it (left/right n-grams, window words, same-clause words).
    Mention,
    /// The target is a topic the text need not mention: every feature is also emitted
    /// conjoined with the target (shared + target-specific weights).
    Conjoin,
    /// One model per target (plus a pooled model for targets not seen in training).
    PerTarget,
}

impl TargetMode {
    /// The name used on the command line and in model files.
    pub fn name(self) -> &'static str {
        match self {
            TargetMode::Auto => "auto",
            TargetMode::None => "none",
            TargetMode::Mention => "mention",
            TargetMode::Conjoin => "conjoin",
            TargetMode::PerTarget => "per-target",
        }
    }
}

/// Feature-extraction hyperparameters.
///
/// | Name | Default | Purpose | Range |
/// | :--- | :--- | :--- | :--- |
/// | `language` | `english` | Snowball stemmer | any [`Language`] |
/// | `stop_words` | `false` | drop English function words before word n-grams | |
/// | `word_ngrams` | `(1, 3)` | word n-gram lengths (over stems) | `1 ≤ min ≤ max ≤ 6` |
/// | `char_ngrams` | `Some((2, 5))` | character n-gram lengths inside padded words | `1 ≤ min ≤ max ≤ 8`, or none |
/// | `context_window` | `4` | words either side of a target mention kept as window features | `0..=20` |
/// | `context_ngrams` | `2` | longest left/right context n-gram at a mention | `0..=4` |
/// | `clause_features` | `true` | words in the same clause as the mention | |
/// | `negation_scope` | `3` | words after a negation or blocking cue marked as negated (0: off) | `0..=10` |
/// | `min_df` | `2.0` | drop terms in fewer documents (≥ 1: a count; < 1: a fraction) | `> 0` |
/// | `max_df` | `1.0` | drop terms in a larger fraction of documents | `(0, 1]` |
/// | `max_features` | none | keep only the most frequent terms | `≥ 1` |
/// | `sublinear_tf` | `true` | use `1 + ln(tf)` instead of `tf` | |
/// | `target_mode` | `auto` | see [`TargetMode`] | |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureParams {
    /// Stemming language.
    pub language: Language,
    /// Remove English stop words before word n-grams.
    pub stop_words: bool,
    /// Word n-gram range (inclusive).
    pub word_ngrams: (usize, usize),
    /// Character n-gram range (inclusive), or none.
    pub char_ngrams: Option<(usize, usize)>,
    /// Window of words around a target mention.
    pub context_window: usize,
    /// Longest left/right context n-gram at a target mention.
    pub context_ngrams: usize,
    /// Emit same-clause words of a target mention.
    pub clause_features: bool,
    /// Words after a negation or blocking cue ("not", "refused", "barred") emitted as negated.
    #[serde(default)]
    pub negation_scope: usize,
    /// Minimum document frequency: a count when ≥ 1, a fraction of documents when < 1.
    pub min_df: f64,
    /// Maximum document frequency, as a fraction of documents.
    pub max_df: f64,
    /// Keep at most this many terms (the most frequent; ties by term).
    pub max_features: Option<usize>,
    /// Sublinear term frequency.
    pub sublinear_tf: bool,
    /// How targets shape the features.
    pub target_mode: TargetMode,
}

impl Default for FeatureParams {
    fn default() -> Self {
        FeatureParams {
            language: Language::English,
            stop_words: false,
            word_ngrams: (1, 3),
            char_ngrams: Some((2, 5)),
            context_window: 4,
            context_ngrams: 2,
            clause_features: true,
            negation_scope: 3,
            min_df: 2.0,
            max_df: 1.0,
            max_features: None,
            sublinear_tf: true,
            target_mode: TargetMode::Auto,
        }
    }
}

/// Checked [`FeatureParams`]: only these can fit a vectorizer.
///
/// Deserializing (a model file) runs [`FeatureParams::check`] too, so parameters read from a
/// file are as valid as those built in code: a hand-edited `char_ngrams` of `[0, 3]` is an
/// error, not a panic in the analyzer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ValidFeatureParams(FeatureParams);

impl<'de> Deserialize<'de> for ValidFeatureParams {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        FeatureParams::deserialize(d)?
            .check()
            .map_err(serde::de::Error::custom)
    }
}

impl ValidFeatureParams {
    /// The checked values.
    pub fn get(&self) -> &FeatureParams {
        &self.0
    }

    /// The same parameters with the target mode resolved (never `Auto` after fitting).
    pub fn with_target_mode(&self, mode: TargetMode) -> ValidFeatureParams {
        let mut p = self.0.clone();
        p.target_mode = mode;
        ValidFeatureParams(p)
    }
}

impl FeatureParams {
    /// Checks every value; each bad value gets its own message.
    ///
    /// # Errors
    /// [`Error::InvalidParam`] naming the parameter and the allowed range.
    pub fn check(self) -> Result<ValidFeatureParams> {
        let bad = |name: &'static str, value: String, reason: &str| Error::InvalidParam {
            name,
            value,
            reason: reason.to_string(),
        };
        let (a, b) = self.word_ngrams;
        if a == 0 || a > b || b > 6 {
            return Err(bad(
                "word_ngrams",
                format!("{a}-{b}"),
                "need 1 <= min <= max <= 6",
            ));
        }
        if let Some((a, b)) = self.char_ngrams
            && (a == 0 || a > b || b > 8)
        {
            return Err(bad(
                "char_ngrams",
                format!("{a}-{b}"),
                "need 1 <= min <= max <= 8",
            ));
        }
        if self.context_window > 20 {
            return Err(bad(
                "context_window",
                self.context_window.to_string(),
                "at most 20",
            ));
        }
        if self.negation_scope > 10 {
            return Err(bad(
                "negation_scope",
                self.negation_scope.to_string(),
                "at most 10",
            ));
        }
        if self.context_ngrams > 4 {
            return Err(bad(
                "context_ngrams",
                self.context_ngrams.to_string(),
                "at most 4",
            ));
        }
        if !(self.min_df.is_finite() && self.min_df > 0.0) {
            return Err(bad(
                "min_df",
                self.min_df.to_string(),
                "must be > 0 (a count >= 1 or a fraction < 1)",
            ));
        }
        if !(self.max_df.is_finite() && self.max_df > 0.0 && self.max_df <= 1.0) {
            return Err(bad(
                "max_df",
                self.max_df.to_string(),
                "must be a fraction in (0, 1]",
            ));
        }
        if self.max_features == Some(0) {
            return Err(bad("max_features", "0".into(), "must be at least 1"));
        }
        Ok(ValidFeatureParams(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_check_and_bad_values_are_named() {
        assert!(FeatureParams::default().check().is_ok());
        let e = FeatureParams {
            word_ngrams: (3, 1),
            ..Default::default()
        }
        .check()
        .unwrap_err();
        assert!(e.to_string().contains("word_ngrams"), "{e}");
        let e = FeatureParams {
            max_df: 1.5,
            ..Default::default()
        }
        .check()
        .unwrap_err();
        assert!(e.to_string().contains("max_df"), "{e}");
        let e = FeatureParams {
            min_df: f64::NAN,
            ..Default::default()
        }
        .check()
        .unwrap_err();
        assert!(e.to_string().contains("min_df"), "{e}");
    }

    /// Found by fuzzing model files: `char_ngrams: [0, 3]` loaded unchecked and the analyzer
    /// panicked in `windows(0)`; a huge `context_window` overflowed `t + window`.
    #[test]
    fn regression_deserialized_params_are_checked() {
        let good = serde_json::to_value(FeatureParams::default().check().unwrap()).unwrap();
        let back: ValidFeatureParams = serde_json::from_value(good.clone()).unwrap();
        assert_eq!(back.get(), &FeatureParams::default());
        for (field, value) in [
            ("char_ngrams", serde_json::json!([0, 3])),
            ("word_ngrams", serde_json::json!([2, 1])),
            ("context_window", serde_json::json!(u64::MAX)),
            ("context_ngrams", serde_json::json!(1_000_000_000u64)),
            ("max_df", serde_json::json!(0.0)),
        ] {
            let mut bad = good.clone();
            bad[field] = value;
            let e = serde_json::from_value::<ValidFeatureParams>(bad).unwrap_err();
            assert!(e.to_string().contains(field), "{field}: {e}");
        }
    }
}
