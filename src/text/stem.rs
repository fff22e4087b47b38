//! Stemming with rust-stemmers (Snowball).
//!
//! rust-stemmers does not lowercase: `Russia` stays `Russia` and `russian` stays `russian`.
//! [`Stemmer::stem`] therefore expects tokens already passed through
//! [`normalize`](super::tokenize::normalize) (lowercased, possessive stripped). Tokens with digits
//! or a leading `#`/`@` are returned unchanged.

use serde::{Deserialize, Serialize};

/// The stemming language (the Snowball algorithms rust-stemmers ships), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// No stemming.
    None,
    /// Arabic.
    Arabic,
    /// Danish.
    Danish,
    /// Dutch.
    Dutch,
    /// English (Porter2). The default.
    #[default]
    English,
    /// Finnish.
    Finnish,
    /// French.
    French,
    /// German.
    German,
    /// Greek.
    Greek,
    /// Hungarian.
    Hungarian,
    /// Italian.
    Italian,
    /// Norwegian.
    Norwegian,
    /// Portuguese.
    Portuguese,
    /// Romanian.
    Romanian,
    /// Russian.
    Russian,
    /// Spanish.
    Spanish,
    /// Swedish.
    Swedish,
    /// Tamil.
    Tamil,
    /// Turkish.
    Turkish,
}

impl Language {
    /// All languages, for listing in help text.
    pub const ALL: [Language; 19] = [
        Language::None,
        Language::Arabic,
        Language::Danish,
        Language::Dutch,
        Language::English,
        Language::Finnish,
        Language::French,
        Language::German,
        Language::Greek,
        Language::Hungarian,
        Language::Italian,
        Language::Norwegian,
        Language::Portuguese,
        Language::Romanian,
        Language::Russian,
        Language::Spanish,
        Language::Swedish,
        Language::Tamil,
        Language::Turkish,
    ];

    /// The lowercase name used on the command line and in model files.
    pub fn name(self) -> &'static str {
        match self {
            Language::None => "none",
            Language::Arabic => "arabic",
            Language::Danish => "danish",
            Language::Dutch => "dutch",
            Language::English => "english",
            Language::Finnish => "finnish",
            Language::French => "french",
            Language::German => "german",
            Language::Greek => "greek",
            Language::Hungarian => "hungarian",
            Language::Italian => "italian",
            Language::Norwegian => "norwegian",
            Language::Portuguese => "portuguese",
            Language::Romanian => "romanian",
            Language::Russian => "russian",
            Language::Spanish => "spanish",
            Language::Swedish => "swedish",
            Language::Tamil => "tamil",
            Language::Turkish => "turkish",
        }
    }

    /// Parses a name as printed by [`Language::name`].
    pub fn from_name(name: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|l| l.name().eq_ignore_ascii_case(name))
    }

    fn algorithm(self) -> Option<rust_stemmers::Algorithm> {
        use rust_stemmers::Algorithm as A;
        Some(match self {
            Language::None => return None,
            Language::Arabic => A::Arabic,
            Language::Danish => A::Danish,
            Language::Dutch => A::Dutch,
            Language::English => A::English,
            Language::Finnish => A::Finnish,
            Language::French => A::French,
            Language::German => A::German,
            Language::Greek => A::Greek,
            Language::Hungarian => A::Hungarian,
            Language::Italian => A::Italian,
            Language::Norwegian => A::Norwegian,
            Language::Portuguese => A::Portuguese,
            Language::Romanian => A::Romanian,
            Language::Russian => A::Russian,
            Language::Spanish => A::Spanish,
            Language::Swedish => A::Swedish,
            Language::Tamil => A::Tamil,
            Language::Turkish => A::Turkish,
        })
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A stemmer for one language.
pub struct Stemmer {
    inner: Option<rust_stemmers::Stemmer>,
    language: Language,
}

impl std::fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stemmer")
            .field("language", &self.language)
            .finish()
    }
}

impl Clone for Stemmer {
    fn clone(&self) -> Self {
        Stemmer::new(self.language)
    }
}

impl Stemmer {
    /// Creates a stemmer; [`Language::None`] returns tokens unchanged.
    pub fn new(language: Language) -> Self {
        Stemmer {
            inner: language.algorithm().map(rust_stemmers::Stemmer::create),
            language,
        }
    }

    /// The language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Stems a normalised (lowercased) token. Tokens with digits, `#`/`@` prefixes, or
    /// longer than 64 bytes are returned unchanged.
    pub fn stem<'a>(&self, token: &'a str) -> std::borrow::Cow<'a, str> {
        match &self.inner {
            Some(s)
                if token.len() <= 64
                    && !token.starts_with(['#', '@'])
                    && !token.bytes().any(|b| b.is_ascii_digit()) =>
            {
                s.stem(token)
            }
            _ => std::borrow::Cow::Borrowed(token),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_lowercased_english() {
        let s = Stemmer::new(Language::English);
        assert_eq!(s.stem("sanctions"), "sanction");
        assert_eq!(s.stem("sanctioned"), "sanction");
        // rust-stemmers does not lowercase: callers must normalise first.
        assert_eq!(s.stem("Russia"), "Russia");
        assert_eq!(s.stem("2022"), "2022");
        assert_eq!(s.stem("#sanctions"), "#sanctions");
    }

    #[test]
    fn none_is_identity_and_names_round_trip() {
        assert_eq!(Stemmer::new(Language::None).stem("sanctions"), "sanctions");
        for l in Language::ALL {
            assert_eq!(Language::from_name(l.name()), Some(l));
        }
        assert_eq!(Language::from_name("klingon"), None);
    }
}
