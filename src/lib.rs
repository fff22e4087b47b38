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
//! 5. [`input`] and [`dataset`]: reading user files (UTF-8 checked) and labeled CSV.
//! 6. [`eval`]: metrics (scikit-learn conventions) and stratified cross-validation splits.
//! 7. [`pipeline`]: training and predicting (text, target) pairs end to end.
//!
//! The library never prints, never exits and never parses command-line arguments; the
//! `geostance` binary does that.
#![deny(missing_docs)]
// Errors carry the file, position and context of bad input; they are built only on cold paths,
// so their size does not matter.
#![allow(clippy::result_large_err)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod article;
pub mod countries;
pub mod dataset;
pub mod error;
pub mod eval;
pub mod features;
pub mod input;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod text;

pub use error::{Error, Position, Result, Source};
