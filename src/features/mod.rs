//! Features: terms from text ([`analyzer`]), the TF-IDF [`vectorizer`] learned at fit time,
//! and the sparse rows ([`sparse`]) the models consume.

pub mod analyzer;
pub mod params;
pub mod sparse;
pub mod vectorizer;

pub use analyzer::{Analyzer, Doc, Mark, TARGET_MARKER};
pub use params::{FeatureParams, TargetMode, ValidFeatureParams};
pub use sparse::{CsrMatrix, RowView};
pub use vectorizer::{Vectorizer, VectorizerFile};
