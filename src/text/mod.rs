//! Text processing: tokens with byte offsets, normalisation, stemming and sentence splitting.
//!
//! Nothing here knows about countries or models.

pub mod sentences;
