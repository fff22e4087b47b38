//! Turns one document (a sentence and its target) into terms.
//!
//! Terms are namespaced strings:
//!
//! | prefix | what | example for "Japan sanctioned Russia, unlike India" (target Japan) |
//! | --- | --- | --- |
//! | `w:` | word n-grams over stems | `w:<t> sanction`, `w:sanction <ru>` |
//! | `c:` | character n-grams inside space-padded words | `c: sanc`, `c:ned ` |
//! | `l:` / `r:` | n-grams just left / right of a target mention | `r:sanction`, `r:sanction <ru>` |
//! | `n:` | words within the window around a mention | `n:sanction`, `n:unlik` |
//! | `s:` | words in the same clause as a mention | `s:sanction`, `s:<ru>` |
//! | `x:` | flags | `x:nomention` (the target is not mentioned), `x:noru` (Russia is not named), `x:noside` (neither Russia nor Ukraine is) |
//! | `T:<target>\|` | any of the above conjoined with the target ([`TargetMode::Conjoin`]) | `T:atheism\|w:god` |
//!
//! Mentions are marked by the caller ([`Mark`]): the target's mentions become `<t>`, other
//! marked spans become the caller's marker (`<ru>`, `<c>`, ...). The names themselves never
//! become features, so the model cannot learn "Japan means against" from the name: the words
//! around the mention decide. Two countries in one sentence get different context features.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use super::params::{TargetMode, ValidFeatureParams};
use crate::text::stopwords::is_english_stop_word;
use crate::text::tokenize::{Token, normalize_into, tokenize_into};
use crate::text::{Language, Stemmer};

/// The marker that replaces the target's mentions.
pub const TARGET_MARKER: &str = "<t>";

/// The marker of the stance's object (Russia): its mentions get context features too, and the
/// words between a target mention and an object mention become relation features.
pub const OBJECT_MARKER: &str = "<ru>";

/// The marker the caller gives Ukraine's mentions (the other side of the war).
pub const UKRAINE_MARKER: &str = "<ua>";

/// Relation features are emitted for target/object mentions at most this many words apart.
const MAX_RELATION_SPAN: usize = 12;
/// The whole path between target and object becomes one feature when it is this short.
const MAX_PATH_WORDS: usize = 5;

/// A marked span of the text: a mention of the target or of another entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// True for a mention of the row's target.
    pub target: bool,
    /// The token that replaces a non-target mention (ignored for target mentions).
    pub marker: &'static str,
}

/// One document to analyze.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    /// The text.
    pub text: &'a str,
    /// The target the labels are about, if any.
    pub target: Option<&'a str>,
    /// Marked mentions, sorted by start, non-overlapping.
    pub marks: &'a [Mark],
}

impl<'a> Doc<'a> {
    /// A document with no target and no marks.
    pub fn plain(text: &'a str) -> Self {
        Doc {
            text,
            target: None,
            marks: &[],
        }
    }
}

/// Words that open a new clause: contrast and concession.
const CLAUSE_OPENERS: &[&str] = &[
    "although", "but", "despite", "however", "instead", "though", "unlike", "whereas", "while",
    "whilst", "yet",
];

/// Words longer than this (in bytes) are truncated before n-grams, bounding the work per token.
const MAX_WORD_BYTES: usize = 64;

/// Context terms come from at most this many mentions of the target, and of the stance's
/// object, per document. Each mention's same-clause terms cost as much as the clause is long,
/// and relations cost one per (target, object) pair, so without a cap a text repeating the
/// names (`Japan sanctioned Russia Japan sanctioned Russia ...`) took time and memory
/// quadratic in its length; no real sentence names a country this often.
pub const MAX_CONTEXT_MENTIONS: usize = 16;

/// Extracts terms from documents. Cheap to clone; safe to share between threads.
#[derive(Debug, Clone)]
pub struct Analyzer {
    params: ValidFeatureParams,
    stemmer: Stemmer,
}

#[derive(Default)]
struct Scratch {
    stems: String,
    lowers: String,
    /// (stem range, lower range, clause id)
    words: Vec<(usize, usize, usize, usize, u32)>,
    targets: Vec<usize>,
    objects: Vec<usize>,
    term: String,
    norm: String,
    stem_cache: FxHashMap<Box<str>, Box<str>>,
    stem_lang: Option<Language>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Upper bound on cached stems per thread before the cache is cleared.
const STEM_CACHE_LIMIT: usize = 200_000;

impl Analyzer {
    /// Creates an analyzer.
    pub fn new(params: ValidFeatureParams) -> Self {
        let stemmer = Stemmer::new(params.get().language);
        Analyzer { params, stemmer }
    }

    /// The parameters.
    pub fn params(&self) -> &ValidFeatureParams {
        &self.params
    }

    /// Calls `emit` once per term occurrence of `doc` (a term can be emitted several times:
    /// that is its term frequency).
    pub fn analyze(&self, doc: &Doc<'_>, emit: &mut dyn FnMut(&str)) {
        self.analyze_parts(doc, emit, None);
    }

    /// Like [`Analyzer::analyze`], but when `words` is given the character n-grams are not
    /// emitted: `words` receives each lowercase word instead, and the caller expands it with
    /// [`Analyzer::char_ngrams`] (typically once per distinct word, through a cache). Words are
    /// only handed out this way when character n-grams are on and not conjoined with the target.
    pub fn analyze_parts(
        &self,
        doc: &Doc<'_>,
        emit: &mut dyn FnMut(&str),
        words: Option<&mut dyn FnMut(&str)>,
    ) {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.analyze_with(doc, &mut scratch, emit, words),
            // Re-entrant use from inside `emit`: fall back to a fresh scratch.
            Err(_) => self.analyze_with(doc, &mut Scratch::default(), emit, words),
        })
    }

    /// Collects the terms of `doc` into a vector (for tests and `explain`).
    pub fn terms(&self, doc: &Doc<'_>) -> Vec<String> {
        let mut out = Vec::new();
        self.analyze(doc, &mut |t| out.push(t.to_string()));
        out
    }

    /// Whether [`Analyzer::analyze_parts`] hands words out instead of character n-grams.
    pub fn splits_char_ngrams(&self) -> bool {
        let p = self.params.get();
        p.char_ngrams.is_some() && p.target_mode != TargetMode::Conjoin
    }

    /// Emits the character n-gram terms of one lowercase word (`c:` + the n-grams of the word
    /// padded with a space on each side), exactly as [`Analyzer::analyze`] does.
    pub fn char_ngrams(&self, word: &str, emit: &mut dyn FnMut(&str)) {
        let Some((cmin, cmax)) = self.params.get().char_ngrams else {
            return;
        };
        let mut chars: Vec<char> = Vec::with_capacity(word.len() + 2);
        chars.push(' ');
        chars.extend(word.chars());
        chars.push(' ');
        let len = chars.len();
        let mut term = String::with_capacity(2 + 4 * cmax);
        for n in cmin..=cmax {
            if n > len {
                break;
            }
            for window in chars.windows(n) {
                term.clear();
                term.push_str("c:");
                term.extend(window.iter());
                emit(&term);
            }
        }
    }

    fn analyze_with(
        &self,
        doc: &Doc<'_>,
        s: &mut Scratch,
        emit: &mut dyn FnMut(&str),
        mut words_out: Option<&mut dyn FnMut(&str)>,
    ) {
        let p = self.params.get();
        if s.stem_lang != Some(p.language) || s.stem_cache.len() > STEM_CACHE_LIMIT {
            s.stem_cache.clear();
            s.stem_lang = Some(p.language);
        }
        self.collect_words(doc, s);
        let conjoin = match (p.target_mode, doc.target) {
            (TargetMode::Conjoin, Some(t)) => Some(t),
            _ => None,
        };
        let Scratch {
            stems,
            lowers,
            words,
            targets,
            objects,
            term,
            ..
        } = s;
        let stem_of =
            |i: usize| -> &str { words.get(i).and_then(|w| stems.get(w.0..w.1)).unwrap_or("") };
        let prefix = conjoin.map(|target| {
            let mut c = String::from("T:");
            c.extend(target.chars().flat_map(char::to_lowercase));
            c.push('|');
            c
        });
        let mut conj = String::new();
        let mut out = |t: &str| {
            emit(t);
            if let Some(prefix) = &prefix {
                conj.clear();
                conj.push_str(prefix);
                conj.push_str(t);
                emit(&conj);
            }
        };

        // Word n-grams over stems.
        let (wmin, wmax) = p.word_ngrams;
        let n_words = words.len();
        for i in 0..n_words {
            for n in wmin..=wmax {
                if i + n > n_words {
                    break;
                }
                if n == 1 && is_marker(stem_of(i)) {
                    continue; // that a country is named says nothing of its stance
                }
                term.clear();
                term.push_str("w:");
                for k in i..i + n {
                    if k > i {
                        term.push(' ');
                    }
                    term.push_str(stem_of(k));
                }
                out(term);
            }
        }

        // Character n-grams inside space-padded lowercase words (or the words themselves, for
        // a caller that expands them through a cache).
        if p.char_ngrams.is_some() {
            let split = self.splits_char_ngrams();
            for w in words.iter() {
                let lower = lowers.get(w.2..w.3).unwrap_or("");
                if lower.starts_with('<') {
                    continue; // a marker: its word n-grams say enough
                }
                match words_out.as_mut() {
                    Some(f) if split => f(lower),
                    _ => self.char_ngrams(lower, &mut |t| out(t)),
                }
            }
        }

        // Words in the scope of a negation or blocking cue ("refused to impose sanctions",
        // "barred imports of Russian diamonds", "has not condemned"): the next few words of the
        // same clause, marked as negated.
        if p.negation_scope > 0 {
            for (i, w) in words.iter().enumerate() {
                let cue = lowers.get(w.2..w.3).unwrap_or("");
                if !is_negation_cue(cue) {
                    continue;
                }
                for k in i + 1..(i + 1 + p.negation_scope).min(n_words) {
                    let Some(wk) = words.get(k) else { break };
                    if wk.4 != w.4 {
                        break;
                    }
                    let stem = stem_of(k);
                    if is_marker(stem) {
                        continue;
                    }
                    term.clear();
                    term.push_str("g:");
                    term.push_str(stem);
                    out(term);
                }
            }
        }

        // Context of target mentions.
        if doc.target.is_some() && p.target_mode == TargetMode::Mention {
            if targets.is_empty() {
                out("x:nomention");
            }
            // Whether the sentence names a side of the war at all: a sentence that names
            // neither Russia nor Ukraine rarely says anything of a stance toward Russia ("Japan
            // hosted a trade fair"), and no single word can tell the model that.
            if objects.is_empty() {
                out("x:noru");
                if !(0..n_words).any(|k| stem_of(k) == UKRAINE_MARKER) {
                    out("x:noside");
                }
            }
            // Left and right n-grams of a mention, with the given prefixes.
            let sides = |pos: usize,
                         left: &str,
                         right: &str,
                         term: &mut String,
                         out: &mut dyn FnMut(&str)| {
                for n in 1..=p.context_ngrams {
                    if pos >= n {
                        term.clear();
                        term.push_str(left);
                        for k in pos - n..pos {
                            if k > pos - n {
                                term.push(' ');
                            }
                            term.push_str(stem_of(k));
                        }
                        out(term.as_str());
                    }
                    if pos + n < n_words {
                        term.clear();
                        term.push_str(right);
                        for k in pos + 1..=pos + n {
                            if k > pos + 1 {
                                term.push(' ');
                            }
                            term.push_str(stem_of(k));
                        }
                        out(term.as_str());
                    }
                }
            };
            if !targets.is_empty() {
                // The object's context ("sanctions against <ru>", "<ru> thanked").
                for &q in objects.iter().take(MAX_CONTEXT_MENTIONS) {
                    sides(q, "ql:", "qr:", term, &mut out);
                }
            }
            let mut path = String::new();
            for &t in targets.iter().take(MAX_CONTEXT_MENTIONS) {
                sides(t, "l:", "r:", term, &mut out);
                // Relations between this target mention and each object mention.
                for &q in objects.iter().take(MAX_CONTEXT_MENTIONS) {
                    let (a, b, dir) = if t < q { (t, q, '>') } else { (q, t, '<') };
                    if b - a > MAX_RELATION_SPAN {
                        continue;
                    }
                    path.clear();
                    for k in a + 1..b {
                        if !is_marker(stem_of(k)) {
                            term.clear();
                            term.push_str("b:");
                            term.push_str(stem_of(k));
                            out(term);
                        }
                        if !path.is_empty() {
                            path.push(' ');
                        }
                        path.push_str(stem_of(k));
                    }
                    if b - a - 1 <= MAX_PATH_WORDS {
                        term.clear();
                        term.push('p');
                        term.push(dir);
                        term.push(':');
                        term.push_str(&path);
                        out(term);
                    }
                }
                let lo = t.saturating_sub(p.context_window);
                let hi = (t + p.context_window).min(n_words.saturating_sub(1));
                for k in lo..=hi {
                    if k != t && !is_marker(stem_of(k)) {
                        term.clear();
                        term.push_str("n:");
                        term.push_str(stem_of(k));
                        out(term);
                    }
                }
                if p.clause_features {
                    let clause = words.get(t).map(|w| w.4);
                    for (k, w) in words.iter().enumerate() {
                        if k != t && Some(w.4) == clause && !is_marker(stem_of(k)) {
                            term.clear();
                            term.push_str("s:");
                            term.push_str(stems.get(w.0..w.1).unwrap_or(""));
                            out(term);
                        }
                    }
                }
            }
        }
    }

    /// Tokenizes, replaces marked mentions by markers, normalises, filters and stems.
    fn collect_words(&self, doc: &Doc<'_>, s: &mut Scratch) {
        let p = self.params.get();
        s.stems.clear();
        s.lowers.clear();
        s.words.clear();
        s.targets.clear();
        s.objects.clear();
        let mut tokens: Vec<Token<'_>> = Vec::new();
        tokenize_into(doc.text, &mut tokens);
        let mut clause = 0u32;
        let mut mark_idx = 0usize;
        let mut last_mark_used: Option<usize> = None;
        for tok in &tokens {
            if tok.clause_break_before {
                clause += 1;
            }
            while doc.marks.get(mark_idx).is_some_and(|m| m.end <= tok.start) {
                mark_idx += 1;
            }
            let mark = doc
                .marks
                .get(mark_idx)
                .filter(|m| m.start < tok.end && tok.start < m.end);
            if let Some(m) = mark {
                if last_mark_used == Some(mark_idx) {
                    continue; // rest of a multi-token mention
                }
                last_mark_used = Some(mark_idx);
                let marker = if m.target { TARGET_MARKER } else { m.marker };
                if m.target {
                    s.targets.push(s.words.len());
                } else if m.marker == OBJECT_MARKER {
                    s.objects.push(s.words.len());
                }
                let (a, b) = push(&mut s.stems, marker);
                let (c, d) = push(&mut s.lowers, marker);
                s.words.push((a, b, c, d, clause));
                continue;
            }
            let text = truncate(tok.text, MAX_WORD_BYTES);
            // A camel-case hashtag also yields its words: #StandWithUkraine -> stand with ukraine.
            if let Some(tag) = text
                .strip_prefix('#')
                .filter(|t| t.chars().skip(1).any(char::is_uppercase))
            {
                for part in camel_parts(tag) {
                    normalize_into(part, &mut s.norm);
                    if s.norm.is_empty() || (p.stop_words && is_english_stop_word(&s.norm)) {
                        continue;
                    }
                    self.push_word(s, clause);
                }
            }
            normalize_into(text, &mut s.norm);
            if s.norm.is_empty() {
                continue;
            }
            if CLAUSE_OPENERS.contains(&s.norm.as_str()) {
                clause += 1;
            }
            if p.stop_words && is_english_stop_word(&s.norm) {
                continue;
            }
            self.push_word(s, clause);
        }
    }

    /// Appends the word in `s.norm` (lowercase form and stem) to the word list.
    fn push_word(&self, s: &mut Scratch, clause: u32) {
        let (c, d) = push(&mut s.lowers, &s.norm);
        let (a, b) = match s.stem_cache.get(s.norm.as_str()) {
            Some(stem) => push(&mut s.stems, stem),
            None => {
                let stem: Box<str> = self.stemmer.stem(&s.norm).into();
                let r = push(&mut s.stems, &stem);
                s.stem_cache.insert(s.norm.as_str().into(), stem);
                r
            }
        };
        s.words.push((a, b, c, d, clause));
    }
}

/// Splits a camel-case word at lowercase-to-uppercase and letter-digit boundaries.
fn camel_parts(word: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in word.char_indices() {
        if let Some(p) = prev {
            let boundary = (p.is_lowercase() && c.is_uppercase())
                || (p.is_alphabetic() && c.is_ascii_digit())
                || (p.is_ascii_digit() && c.is_alphabetic());
            if boundary {
                if let Some(part) = word.get(start..i) {
                    parts.push(part);
                }
                start = i;
            }
        }
        prev = Some(c);
    }
    if let Some(part) = word.get(start..).filter(|p| !p.is_empty()) {
        parts.push(part);
    }
    parts
}

/// Words that negate or block what follows (lowercase, unstemmed).
fn is_negation_cue(word: &str) -> bool {
    const EXACT: &[&str] = &[
        "not", "no", "never", "nor", "without", "cannot", "neither", "ban", "bans", "banned",
        "banning", "bar", "bars", "barred", "barring", "end", "ends", "ended", "ending", "cut",
        "cuts", "cutting", "stop", "stops", "stopped", "stopping", "halt", "halts", "halted",
        "halting", "veto", "vetoed", "vetoes", "vetoing", "shun", "shunned", "shuns",
    ];
    // Longer stems: any inflection ("refused", "declining", "rejects", "suspended").
    const PREFIX: &[&str] = &[
        "refus", "declin", "reject", "suspend", "block", "avoid", "oppos", "resist", "abandon",
        "ceas",
    ];
    EXACT.contains(&word)
        || word.ends_with("n't")
        || PREFIX
            .iter()
            .any(|p| word.starts_with(p) && word.len() <= p.len() + 4)
}

/// Markers (`<t>`, `<ru>`, `<c>`, ...) are the only words starting with `<`: the tokenizer
/// never produces one.
fn is_marker(word: &str) -> bool {
    word.starts_with('<')
}

fn push(buf: &mut String, s: &str) -> (usize, usize) {
    let a = buf.len();
    buf.push_str(s);
    (a, buf.len())
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::params::FeatureParams;

    fn analyzer(mode: TargetMode) -> Analyzer {
        Analyzer::new(
            FeatureParams {
                target_mode: mode,
                char_ngrams: None,
                ..Default::default()
            }
            .check()
            .unwrap(),
        )
    }

    fn marks_for(text: &str, target: &str, others: &[&str]) -> Vec<Mark> {
        let mut m = Vec::new();
        let t = text.find(target).unwrap();
        m.push(Mark {
            start: t,
            end: t + target.len(),
            target: true,
            marker: "<c>",
        });
        for o in others {
            let i = text.find(o).unwrap();
            m.push(Mark {
                start: i,
                end: i + o.len(),
                target: false,
                marker: "<c>",
            });
        }
        m.sort_by_key(|m| m.start);
        m
    }

    #[test]
    fn two_countries_in_one_sentence_get_different_features() {
        let text = "Japan sanctioned Russia while India abstained";
        let a = analyzer(TargetMode::Mention);
        let japan = marks_for(text, "Japan", &["India", "Russia"]);
        let india = marks_for(text, "India", &["Japan", "Russia"]);
        let tj = a.terms(&Doc {
            text,
            target: Some("Japan"),
            marks: &japan,
        });
        let ti = a.terms(&Doc {
            text,
            target: Some("India"),
            marks: &india,
        });
        assert_ne!(tj, ti);
        assert!(tj.contains(&"r:sanction".to_string()), "{tj:?}");
        assert!(tj.contains(&"s:sanction".to_string()));
        assert!(
            !tj.contains(&"s:abstain".to_string()),
            "'while' opens a new clause"
        );
        assert!(ti.contains(&"s:abstain".to_string()), "{ti:?}");
        assert!(ti.contains(&"r:abstain".to_string()));
        // The names never become features.
        for t in tj.iter().chain(&ti) {
            assert!(!t.contains("japan") && !t.contains("india"), "{t}");
        }
    }

    #[test]
    fn multi_token_mentions_collapse_to_one_marker() {
        let text = "North Korea shipped shells";
        let a = analyzer(TargetMode::Mention);
        let m = marks_for(text, "North Korea", &[]);
        let t = a.terms(&Doc {
            text,
            target: Some("North Korea"),
            marks: &m,
        });
        assert!(t.contains(&"w:<t> ship shell".to_string()), "{t:?}");
        assert!(t.contains(&"r:ship shell".to_string()));
    }

    #[test]
    fn target_not_mentioned_is_flagged() {
        let a = analyzer(TargetMode::Mention);
        let t = a.terms(&Doc {
            text: "God is great",
            target: Some("Atheism"),
            marks: &[],
        });
        assert!(t.contains(&"x:nomention".to_string()));
    }

    #[test]
    fn sentences_naming_neither_side_of_the_war_are_flagged() {
        let a = analyzer(TargetMode::Mention);
        let mark = |text: &str, name: &str, target: bool, marker: &'static str| {
            let start = text.find(name).unwrap();
            Mark {
                start,
                end: start + name.len(),
                target,
                marker,
            }
        };
        let flags = |text: &str, others: &[(&str, &'static str)]| {
            let mut m = vec![mark(text, "Japan", true, "<c>")];
            m.extend(others.iter().map(|(n, k)| mark(text, n, false, k)));
            m.sort_by_key(|m| m.start);
            let t = a.terms(&Doc {
                text,
                target: Some("Japan"),
                marks: &m,
            });
            (
                t.contains(&"x:noru".to_string()),
                t.contains(&"x:noside".to_string()),
            )
        };
        assert_eq!(flags("Japan hosted a trade fair", &[]), (true, true));
        assert_eq!(
            flags("Japan sent aid to Ukraine", &[("Ukraine", UKRAINE_MARKER)]),
            (true, false)
        );
        assert_eq!(
            flags("Japan sanctioned Russia", &[("Russia", OBJECT_MARKER)]),
            (false, false)
        );
    }

    #[test]
    fn conjoin_mode_doubles_terms_with_the_target() {
        let a = analyzer(TargetMode::Conjoin);
        let t = a.terms(&Doc {
            text: "God is great",
            target: Some("Atheism"),
            marks: &[],
        });
        assert!(t.contains(&"w:god".to_string()));
        assert!(t.contains(&"T:atheism|w:god".to_string()), "{t:?}");
    }

    #[test]
    fn char_ngrams_are_padded_and_stems_lowercased() {
        let a = Analyzer::new(
            FeatureParams {
                char_ngrams: Some((3, 3)),
                word_ngrams: (1, 1),
                ..Default::default()
            }
            .check()
            .unwrap(),
        );
        let t = a.terms(&Doc::plain("Sanctions"));
        assert_eq!(t[0], "w:sanction");
        assert!(t.contains(&"c: sa".to_string()));
        assert!(t.contains(&"c:ns ".to_string()));
    }

    /// A 5,000-word sentence naming its target 2,500 times took quadratic time and memory
    /// (every mention emitted every same-clause word): now the terms grow linearly.
    #[test]
    fn regression_repeated_target_is_not_quadratic() {
        let a = analyzer(TargetMode::Mention);
        let count = |n: usize| {
            let text = "Japan sanctioned ".repeat(n);
            let marks: Vec<Mark> = (0..n)
                .map(|i| Mark {
                    start: i * 17,
                    end: i * 17 + 5,
                    target: true,
                    marker: "<c>",
                })
                .collect();
            let mut terms = 0usize;
            a.analyze(
                &Doc {
                    text: &text,
                    target: Some("Japan"),
                    marks: &marks,
                },
                &mut |_| terms += 1,
            );
            terms
        };
        let (small, big) = (count(250), count(2500));
        assert!(
            big < small * 12,
            "{small} terms for 250 mentions, {big} for 2500"
        );
    }

    #[test]
    fn hashtags_yield_their_words() {
        assert_eq!(
            camel_parts("StandWithUkraine"),
            ["Stand", "With", "Ukraine"]
        );
        assert_eq!(camel_parts("G7Summit"), ["G", "7", "Summit"]);
        let a = analyzer(TargetMode::None);
        let t = a.terms(&Doc::plain("#StandWithUkraine"));
        assert!(t.contains(&"w:stand with ukrain".to_string()), "{t:?}");
        assert!(t.contains(&"w:#standwithukraine".to_string()), "{t:?}");
    }

    #[test]
    fn negation_scope_marks_the_next_words_of_the_clause() {
        let a = Analyzer::new(
            FeatureParams {
                char_ngrams: None,
                ..Default::default()
            }
            .check()
            .unwrap(),
        );
        let t = a.terms(&Doc::plain(
            "Serbia refused to impose sanctions, but traded",
        ));
        for neg in ["g:to", "g:impos", "g:sanction"] {
            assert!(t.contains(&neg.to_string()), "{neg}: {t:?}");
        }
        assert!(
            !t.contains(&"g:trade".to_string()),
            "the clause ends at the comma"
        );
        assert!(is_negation_cue("hasn't") && is_negation_cue("barred") && !is_negation_cue("bank"));
        assert!(!is_negation_cue("endorsed") && !is_negation_cue("endorse"));
    }

    #[test]
    fn empty_and_odd_input() {
        let a = analyzer(TargetMode::None);
        assert!(a.terms(&Doc::plain("")).is_empty());
        assert_eq!(a.terms(&Doc::plain("🙂 ... !!!")), ["w:🙂"]);
        let long = "x".repeat(10_000);
        assert_eq!(a.terms(&Doc::plain(&long)).len(), 1);
    }
}
