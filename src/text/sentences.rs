//! Sentence splitting with byte offsets (placeholder: filled in by the sentence-splitter work).

/// A sentence: byte offsets into the original text, end-exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
}

/// Splits `text` into sentences.
pub fn split(text: &str) -> Vec<SentenceSpan> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    vec![SentenceSpan {
        start: 0,
        end: text.len(),
    }]
}
