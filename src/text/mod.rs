//! Text processing: tokens with byte offsets, normalisation, stemming and sentence splitting.
//!
//! Nothing here knows about countries or models. Each stage states what it expects:
//! [`stem::Stemmer`] expects the lowercased output of [`tokenize::normalize`]; sentence spans
//! and tokens are byte offsets into the original text.

pub mod sentences;
pub mod stem;
pub mod stopwords;
pub mod tokenize;

pub use stem::{Language, Stemmer};
pub use tokenize::{Token, normalize, tokenize};
