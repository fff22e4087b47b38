//! geostance: for every country a news text mentions, its stance toward Russia and the sentiment
//! the text expresses toward it.
//!
//! The pipeline, one module per stage (dependencies point down this list only):
//!
//! 1. [`text`]: tokenizing, normalising, stemming, sentence splitting.
//! 2. [`countries`]: the gazetteer of countries and blocs, and the matcher that finds them.
//! 3. [`features`]: terms (word and character n-grams, target-aware context terms), the
//!    vocabulary and TF-IDF learned at fit time, sparse rows.
//! 4. [`model`]: labels, the sparse multinomial logistic regression and naive Bayes heads
//!    (linfa estimators), and the versioned model file.
//! 5. [`dataset`]: labeled CSV input.
//! 6. [`eval`]: metrics (scikit-learn conventions) and stratified cross-validation.
//! 7. [`pipeline`]: training and predicting (sentence, target) pairs end to end.
//! 8. [`article`]: classifying whole articles: sentences, countries, per-country aggregation.
//! 9. [`report`]: rendering results as tables, JSON and CSV.
//!
//! The library never prints, never exits and never parses command-line arguments; the
//! `geostance` binary does that.
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod countries;
pub mod error;
pub mod text;

pub use error::{Error, Position, Result, Source};
