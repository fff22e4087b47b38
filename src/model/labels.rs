//! The label set of a head: the label strings a training file uses, sorted.

use serde::{Deserialize, Serialize};

/// Sorted, distinct label strings. A label's position is its class index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LabelSet(Vec<String>);

impl LabelSet {
    /// The sorted distinct labels of `labels`.
    pub fn learn<'a>(labels: impl IntoIterator<Item = &'a str>) -> Self {
        let mut v: Vec<String> = labels.into_iter().map(str::to_string).collect();
        v.sort();
        v.dedup();
        LabelSet(v)
    }

    /// Builds a set from a stored list, checking it is sorted and distinct.
    pub fn from_sorted(labels: Vec<String>) -> Option<Self> {
        labels
            .windows(2)
            .all(|w| w.first() < w.get(1))
            .then_some(LabelSet(labels))
    }

    /// The class index of a label (exact match).
    pub fn index(&self, label: &str) -> Option<usize> {
        self.0.binary_search_by(|l| l.as_str().cmp(label)).ok()
    }

    /// The label of a class index.
    pub fn label(&self, index: usize) -> Option<&str> {
        self.0.get(index).map(String::as_str)
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no labels.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The labels in class order.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// The class index of the label spelled `name`, ignoring ASCII case (for `favor`/`FAVOR`).
    pub fn find_ignore_case(&self, name: &str) -> Option<usize> {
        self.0.iter().position(|l| l.eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_distinct_and_lookups() {
        let l = LabelSet::learn(["neutral", "FAVOR", "against", "neutral"]);
        assert_eq!(l.as_slice(), ["FAVOR", "against", "neutral"]);
        assert_eq!(l.index("against"), Some(1));
        assert_eq!(l.index("Against"), None);
        assert_eq!(l.find_ignore_case("favor"), Some(0));
        assert_eq!(l.label(2), Some("neutral"));
        assert!(LabelSet::from_sorted(vec!["b".into(), "a".into()]).is_none());
    }
}
