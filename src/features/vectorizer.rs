//! The fitted vectorizer: the vocabulary (most frequent term first) and the IDF learned at fit
//! time.
//!
//! `fit` counts document frequencies, prunes the vocabulary (`min_df`, `max_df`,
//! `max_features`), orders it by document frequency (ties by term) and stores `idf = ln((1 + n) / (1 + df)) + 1` (scikit-learn's
//! smooth IDF). `transform` applies exactly that vocabulary and IDF, so a sentence gets the same
//! row alone or inside any batch (unlike linfa-preprocessing 0.8.1, which relearns IDF from the
//! batch it transforms). Rows are `(sublinear) tf × idf`, L2-normalised.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::analyzer::{Analyzer, Doc};
use super::params::ValidFeatureParams;
use super::sparse::CsrMatrix;
use crate::error::{Error, Result};

/// A fitted TF-IDF vectorizer.
#[derive(Debug, Clone)]
pub struct Vectorizer {
    analyzer: Analyzer,
    terms: Vec<String>,
    idf: Vec<f64>,
    n_docs: usize,
    /// Term hash -> column (see [`term_hash`]).
    index: FxHashMap<u64, u32>,
    /// A process-unique id, so a thread's word cache knows whose columns it holds.
    id: u64,
}

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Distinct words whose character n-grams are cached per thread before the cache is cleared.
const WORD_CACHE_LIMIT: usize = 100_000;

/// A thread's word cache: the id of the vectorizer it belongs to, and word -> columns.
type WordCache = (u64, FxHashMap<Box<str>, Box<[u32]>>);

thread_local! {
    static WORD_CACHE: std::cell::RefCell<WordCache> =
        std::cell::RefCell::new((0, FxHashMap::default()));
}

thread_local! {
    /// A zeroed count per column, reused across documents (see [`count_dense`]).
    static COUNTS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Distinct columns (sorted if `sorted`, else in first-use order) and their counts, counting
/// in `counts` (left all zero again).
fn count_dense(
    counts: &mut Vec<u32>,
    ids: &[u32],
    n_cols: usize,
    sorted: bool,
) -> (Vec<u32>, Vec<u32>) {
    if counts.len() < n_cols {
        counts.resize(n_cols, 0);
    }
    let mut cols = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(c) = counts.get_mut(id as usize) {
            if *c == 0 {
                cols.push(id);
            }
            *c += 1;
        }
    }
    if sorted {
        cols.sort_unstable();
    }
    let tfs = cols
        .iter()
        .map(|&id| counts.get_mut(id as usize).map_or(0, std::mem::take))
        .collect();
    (cols, tfs)
}

/// The same by sorting every occurrence (when the dense array is in use on this thread).
fn count_sorted(mut ids: Vec<u32>) -> (Vec<u32>, Vec<u32>) {
    ids.sort_unstable();
    let mut cols = Vec::new();
    let mut tfs: Vec<u32> = Vec::new();
    for id in ids {
        match (cols.last(), tfs.last_mut()) {
            (Some(&last), Some(n)) if last == id => *n += 1,
            _ => {
                cols.push(id);
                tfs.push(1);
            }
        }
    }
    (cols, tfs)
}

/// Words collected while analysing one document: one string buffer and their spans.
#[derive(Default)]
struct WordList {
    buf: String,
    spans: Vec<(usize, usize)>,
}

impl WordList {
    fn push(&mut self, w: &str) {
        let a = self.buf.len();
        self.buf.push_str(w);
        self.spans.push((a, self.buf.len()));
    }
    fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
    fn iter(&self) -> impl Iterator<Item = &str> {
        self.spans
            .iter()
            .map(|&(a, b)| self.buf.get(a..b).unwrap_or(""))
    }
}

/// A 64-bit hash of a term: FxHash over its bytes, then the SplitMix64 finaliser so every bit
/// depends on every input bit. Terms are looked up by this hash alone (no string comparison on
/// the hot path); two vocabulary terms with the same hash would share a column, which for a
/// vocabulary of a million terms has a probability around 3·10⁻⁸.
pub fn term_hash(term: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(term.as_bytes());
    let mut z = h.finish() ^ (term.len() as u64).rotate_left(32);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Document-frequency counts while fitting: term hash -> (df, last document counted).
type CountMap = FxHashMap<u64, (u32, u32)>;

/// Calls `f` with the hash of every term occurrence of `doc`; character n-grams are hashed
/// once per distinct word (cached in `word_hashes`).
fn for_each_hash(
    analyzer: &Analyzer,
    doc: &Doc<'_>,
    word_hashes: &mut FxHashMap<Box<str>, Box<[u64]>>,
    f: &mut dyn FnMut(u64),
) {
    let mut words = WordList::default();
    let mut collect = |w: &str| words.push(w);
    let split = analyzer.splits_char_ngrams();
    analyzer.analyze_parts(
        doc,
        &mut |t| f(term_hash(t)),
        if split { Some(&mut collect) } else { None },
    );
    for w in words.iter() {
        match word_hashes.get(w) {
            Some(hs) => hs.iter().for_each(|&h| f(h)),
            None => {
                let mut hs = Vec::new();
                analyzer.char_ngrams(w, &mut |t| hs.push(term_hash(t)));
                hs.iter().for_each(|&h| f(h));
                word_hashes.insert(w.into(), hs.into());
            }
        }
    }
}

/// The serialized form of a [`Vectorizer`] (inside the model file).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VectorizerFile {
    /// Feature parameters, with the target mode resolved.
    pub params: ValidFeatureParams,
    /// Number of documents the IDF was learned from.
    pub n_docs: usize,
    /// The vocabulary, most frequent term first (ties by term); a term's position is its
    /// column. Files may hold any order of distinct terms.
    pub terms: Vec<String>,
    /// IDF per column.
    pub idf: Vec<f64>,
}

/// Documents per parallel work item when transforming.
const CHUNK: usize = 256;

impl Vectorizer {
    /// Learns the vocabulary and IDF from `docs`.
    ///
    /// # Errors
    /// [`Error::EmptyVocabulary`] when no term survives pruning (or there are no documents).
    pub fn fit(params: ValidFeatureParams, docs: &[Doc<'_>]) -> Result<Vectorizer> {
        let analyzer = Analyzer::new(params.clone());
        let n = docs.len();
        let threads = rayon::current_num_threads().max(1);
        let per = n.div_ceil(threads).max(1);
        // Pass 1: document frequencies by term hash only (no strings: at scale most distinct
        // terms are seen once and pruned, and storing them dominated memory).
        let df: CountMap = docs
            .par_chunks(per)
            .enumerate()
            .map(|(c, chunk)| {
                let mut map: CountMap = FxHashMap::default();
                let mut word_hashes: FxHashMap<Box<str>, Box<[u64]>> = FxHashMap::default();
                for (i, doc) in chunk.iter().enumerate() {
                    let id = (c * per + i) as u32;
                    for_each_hash(&analyzer, doc, &mut word_hashes, &mut |h| {
                        let e = map.entry(h).or_insert((0, u32::MAX));
                        if e.1 != id {
                            e.0 += 1;
                            e.1 = id;
                        }
                    });
                }
                map
            })
            .reduce(FxHashMap::default, |a, b| {
                if a.len() >= b.len() {
                    merge(a, b)
                } else {
                    merge(b, a)
                }
            });
        let p = params.get();
        let min_count = if p.min_df >= 1.0 {
            p.min_df.ceil()
        } else {
            (p.min_df * n as f64).ceil()
        };
        let max_count = (p.max_df * n as f64).floor();
        let distinct = df.len();
        let candidates: FxHashMap<u64, u32> = df
            .into_iter()
            .map(|(h, (d, _))| (h, d))
            .filter(|&(_, d)| f64::from(d) >= min_count && f64::from(d) <= max_count)
            .collect();
        // Pass 2: the strings of the surviving terms.
        let names: FxHashMap<u64, Box<str>> = docs
            .par_chunks(per)
            .map(|chunk| {
                let mut found: FxHashMap<u64, Box<str>> = FxHashMap::default();
                let mut seen_words: rustc_hash::FxHashSet<Box<str>> = Default::default();
                for doc in chunk {
                    let mut words = WordList::default();
                    let mut collect = |w: &str| words.push(w);
                    let mut name = |t: &str| {
                        let h = term_hash(t);
                        if candidates.contains_key(&h) && !found.contains_key(&h) {
                            found.insert(h, t.into());
                        }
                    };
                    analyzer.analyze_parts(
                        doc,
                        &mut name,
                        if analyzer.splits_char_ngrams() {
                            Some(&mut collect)
                        } else {
                            None
                        },
                    );
                    for w in words.iter() {
                        if seen_words.insert(w.into()) {
                            analyzer.char_ngrams(w, &mut name);
                        }
                    }
                }
                found
            })
            .reduce(FxHashMap::default, |mut a, b| {
                for (h, t) in b {
                    a.entry(h).or_insert(t);
                }
                a
            });
        let mut kept: Vec<(Box<str>, u32)> = candidates
            .into_iter()
            .filter_map(|(h, d)| names.get(&h).map(|t| (t.clone(), d)))
            .collect();
        drop(names);
        // Most frequent first (ties by term): the weights of the common terms, which nearly
        // every row touches, then sit together at the start of each model's weight array and
        // stay in cache while a row's scattered columns are read and written.
        kept.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if let Some(max) = p.max_features {
            kept.truncate(max);
        }
        if distinct == 0 {
            return Err(Error::Data(format!(
                "none of the {n} texts has a word to learn from (they are empty or only punctuation)"
            )));
        }
        if kept.is_empty() {
            return Err(Error::EmptyVocabulary {
                detail: format!(
                    "{n} documents, {distinct} distinct terms, min_df={} (count {min_count}), max_df={} (count {max_count})",
                    p.min_df, p.max_df
                ),
            });
        }
        let idf = kept
            .iter()
            .map(|&(_, d)| ((1.0 + n as f64) / (1.0 + f64::from(d))).ln() + 1.0)
            .collect();
        let terms = kept.into_iter().map(|(k, _)| k.into_string()).collect();
        Ok(Self::assemble(analyzer, terms, idf, n))
    }

    /// Appends the columns of the character n-grams of `words`, through a per-thread cache of
    /// each word's columns (cleared when another vectorizer uses the thread, or when it grows
    /// past [`WORD_CACHE_LIMIT`]).
    fn char_ids(&self, words: &WordList, ids: &mut Vec<u32>) {
        WORD_CACHE.with(|cell| {
            let Ok(mut cache) = cell.try_borrow_mut() else {
                for w in words.iter() {
                    self.word_ids(w, ids);
                }
                return;
            };
            let (owner, map) = &mut *cache;
            if *owner != self.id || map.len() > WORD_CACHE_LIMIT {
                map.clear();
                *owner = self.id;
            }
            for w in words.iter() {
                match map.get(w) {
                    Some(cols) => ids.extend_from_slice(cols),
                    None => {
                        let mut cols = Vec::new();
                        self.word_ids(w, &mut cols);
                        ids.extend_from_slice(&cols);
                        map.insert(w.into(), cols.into());
                    }
                }
            }
        });
    }

    /// The columns of one word's character n-grams.
    fn word_ids(&self, word: &str, ids: &mut Vec<u32>) {
        self.analyzer.char_ngrams(word, &mut |t| {
            if let Some(&i) = self.index.get(&term_hash(t)) {
                ids.push(i);
            }
        });
    }

    fn assemble(analyzer: Analyzer, terms: Vec<String>, idf: Vec<f64>, n_docs: usize) -> Self {
        let mut index: FxHashMap<u64, u32> = FxHashMap::default();
        index.reserve(terms.len());
        for (i, t) in terms.iter().enumerate() {
            // On a (vanishingly rare) hash collision the first term keeps the slot.
            index.entry(term_hash(t)).or_insert(i as u32);
        }
        Vectorizer {
            analyzer,
            terms,
            idf,
            n_docs,
            index,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// Rebuilds a vectorizer from its serialized form, checking it is consistent.
    ///
    /// # Errors
    /// A message saying what is inconsistent (the caller wraps it with the file name).
    pub fn from_file(file: VectorizerFile) -> std::result::Result<Self, String> {
        if file.terms.len() != file.idf.len() {
            return Err(format!(
                "vocabulary has {} terms but {} IDF values",
                file.terms.len(),
                file.idf.len()
            ));
        }
        let mut distinct: rustc_hash::FxHashSet<&str> = Default::default();
        if let Some(t) = file.terms.iter().find(|t| !distinct.insert(t.as_str())) {
            return Err(format!("the vocabulary lists the term {t:?} twice"));
        }
        drop(distinct);
        // fit stores ln((1 + n) / (1 + df)) + 1 with 1 <= df <= n: anything outside
        // [1, ln(1 + n) + 1] was not written by fit, and a huge IDF overflows rows to NaN.
        let max_idf = (1.0 + file.n_docs as f64).ln() + 1.0 + 1e-9;
        if file
            .idf
            .iter()
            .any(|&v| !(1.0 - 1e-9..=max_idf).contains(&v))
        {
            return Err(format!(
                "IDF values must lie in [1, ln(1 + n_docs) + 1] = [1, {max_idf:.3}] for n_docs = {}",
                file.n_docs
            ));
        }
        if u32::try_from(file.terms.len()).is_err() {
            return Err("vocabulary too large".into());
        }
        let analyzer = Analyzer::new(file.params);
        Ok(Self::assemble(analyzer, file.terms, file.idf, file.n_docs))
    }

    /// The serialized form.
    pub fn to_file(&self) -> VectorizerFile {
        VectorizerFile {
            params: self.analyzer.params().clone(),
            n_docs: self.n_docs,
            terms: self.terms.clone(),
            idf: self.idf.clone(),
        }
    }

    /// The analyzer (its parameters have the target mode resolved).
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Number of columns.
    pub fn n_features(&self) -> usize {
        self.terms.len()
    }

    /// Documents seen at fit time.
    pub fn n_docs(&self) -> usize {
        self.n_docs
    }

    /// The term of a column.
    pub fn term(&self, column: usize) -> Option<&str> {
        self.terms.get(column).map(String::as_str)
    }

    /// The column of a term.
    pub fn column(&self, term: &str) -> Option<usize> {
        self.index
            .get(&term_hash(term))
            .map(|&i| i as usize)
            .filter(|&i| self.terms.get(i).is_some_and(|t| t == term))
    }

    /// The IDF of a column.
    pub fn idf(&self, column: usize) -> Option<f64> {
        self.idf.get(column).copied()
    }

    /// One document's sparse row: sorted column indices and L2-normalised TF-IDF values.
    pub fn transform_one(&self, doc: &Doc<'_>) -> (Vec<u32>, Vec<f32>) {
        self.transform_row(doc, true)
    }

    /// The same row with its columns in the order the document first uses them, not sorted:
    /// for scoring a row at once (a dot product does not need the order, and sorting was a
    /// tenth of the scoring time). Each column appears once; the values are those of
    /// [`transform_one`](Self::transform_one), up to rounding in the last bit of the norm.
    pub fn transform_unsorted(&self, doc: &Doc<'_>) -> (Vec<u32>, Vec<f32>) {
        self.transform_row(doc, false)
    }

    fn transform_row(&self, doc: &Doc<'_>, sorted: bool) -> (Vec<u32>, Vec<f32>) {
        let mut ids: Vec<u32> = Vec::new();
        let mut words = WordList::default();
        let split = self.analyzer.splits_char_ngrams();
        let mut collect = |w: &str| words.push(w);
        self.analyzer.analyze_parts(
            doc,
            &mut |t| {
                if let Some(&i) = self.index.get(&term_hash(t)) {
                    ids.push(i);
                }
            },
            if split { Some(&mut collect) } else { None },
        );
        if !words.is_empty() {
            self.char_ids(&words, &mut ids);
        }
        // Term frequencies: count into a per-thread dense array (no sort of every occurrence),
        // then sort only the distinct columns.
        let (cols, tfs) = COUNTS.with(|cell| match cell.try_borrow_mut() {
            Ok(mut counts) => count_dense(&mut counts, &ids, self.terms.len(), sorted),
            Err(_) => count_sorted(ids),
        });
        let sublinear = self.analyzer.params().get().sublinear_tf;
        let vals: Vec<f64> = cols
            .iter()
            .zip(&tfs)
            .map(|(&id, &n)| {
                let tf = match (n, sublinear) {
                    (1, _) => 1.0,
                    (n, true) => 1.0 + f64::from(n).ln(),
                    (n, false) => f64::from(n),
                };
                tf * self.idf.get(id as usize).copied().unwrap_or(1.0)
            })
            .collect();
        let norm = vals.iter().map(|v| v * v).sum::<f64>().sqrt();
        let vals = vals
            .into_iter()
            .map(|v| if norm > 0.0 { (v / norm) as f32 } else { 0.0 })
            .collect();
        (cols, vals)
    }

    /// Transforms many documents (in parallel; the result does not depend on the thread count).
    pub fn transform(&self, docs: &[Doc<'_>]) -> CsrMatrix {
        // Each chunk becomes a small CSR matrix; they are appended in order and freed one by
        // one, so the peak is about one copy of the result.
        let chunks: Vec<CsrMatrix> = docs
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut m = CsrMatrix::new(self.n_features());
                for d in chunk {
                    let (c, v) = self.transform_one(d);
                    m.push_row(&c, &v);
                }
                m
            })
            .collect();
        let mut m = CsrMatrix::new(self.n_features());
        m.reserve(
            chunks.iter().map(CsrMatrix::n_rows).sum(),
            chunks.iter().map(CsrMatrix::nnz).sum(),
        );
        for chunk in chunks {
            m.extend(&chunk);
        }
        m
    }
}

/// Adds the document frequencies of `b` into `a`.
fn merge(mut a: CountMap, b: CountMap) -> CountMap {
    for (k, v) in b {
        match a.get_mut(&k) {
            Some(e) => e.0 += v.0,
            None => {
                a.insert(k, v);
            }
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::params::FeatureParams;

    fn params(min_df: f64) -> ValidFeatureParams {
        FeatureParams {
            char_ngrams: None,
            word_ngrams: (1, 1),
            min_df,
            sublinear_tf: false,
            ..Default::default()
        }
        .check()
        .unwrap()
    }

    fn docs<'a>(texts: &'a [&'a str]) -> Vec<Doc<'a>> {
        texts.iter().map(|t| Doc::plain(t)).collect()
    }

    #[test]
    fn idf_is_learned_at_fit_and_reused() {
        let corpus = [
            "russia war",
            "russia sanctions",
            "peace talks",
            "war crimes",
        ];
        let v = Vectorizer::fit(params(1.0), &docs(&corpus)).unwrap();
        let col = v.column("w:russia").unwrap();
        // scikit-learn smooth idf: ln((1+4)/(1+2)) + 1
        assert!((v.idf(col).unwrap() - ((5.0f64 / 3.0).ln() + 1.0)).abs() < 1e-12);
        // The same sentence alone and inside a batch gives the same row.
        let alone = v.transform(&docs(&["russia war"]));
        let batch = v.transform(&docs(&["peace talks", "russia war", "war"]));
        assert_eq!(alone.row(0).indices, batch.row(1).indices);
        assert_eq!(alone.row(0).values, batch.row(1).values);
        let norm: f32 = alone.row(0).values.iter().map(|x| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-6);
    }

    #[test]
    fn vocabulary_is_ordered_by_frequency_pruned_and_deterministic() {
        let corpus = ["b a", "a c", "a b", "d"];
        let v = Vectorizer::fit(params(2.0), &docs(&corpus)).unwrap();
        let terms: Vec<&str> = (0..v.n_features()).filter_map(|i| v.term(i)).collect();
        assert_eq!(terms, ["w:a", "w:b"]);
        // Most frequent first, ties by term.
        let by_df = ["z y", "z x", "z y", "q x"];
        let v = Vectorizer::fit(params(2.0), &docs(&by_df)).unwrap();
        let terms: Vec<&str> = (0..v.n_features()).filter_map(|i| v.term(i)).collect();
        assert_eq!(terms, ["w:z", "w:x", "w:y"]);
        let capped = FeatureParams {
            max_features: Some(1),
            ..params(1.0).get().clone()
        };
        let v = Vectorizer::fit(capped.check().unwrap(), &docs(&corpus)).unwrap();
        assert_eq!(v.term(0), Some("w:a"));
        let err = Vectorizer::fit(params(5.0), &docs(&corpus)).unwrap_err();
        assert!(err.to_string().contains("min_df"), "{err}");
        assert!(Vectorizer::fit(params(1.0), &[]).is_err());
    }

    #[test]
    fn file_round_trip_and_checks() {
        let v = Vectorizer::fit(params(1.0), &docs(&["a b", "b c"])).unwrap();
        let f = v.to_file();
        let back = Vectorizer::from_file(f.clone()).unwrap();
        assert_eq!(back.to_file(), f);
        let mut bad = f.clone();
        bad.idf.pop();
        assert!(Vectorizer::from_file(bad).is_err());
        let mut bad = f.clone();
        bad.terms[1] = bad.terms[0].clone();
        let e = Vectorizer::from_file(bad).unwrap_err();
        assert!(e.contains("twice"), "{e}");
    }

    /// Found by fuzzing model files: an IDF of 1e308 is finite, but tf × idf overflowed to
    /// infinity, the row norm to NaN, and every probability with it.
    #[test]
    fn regression_huge_idf_is_rejected() {
        let v = Vectorizer::fit(params(1.0), &docs(&["a b", "b c"])).unwrap();
        let mut bad = v.to_file();
        bad.idf[0] = 1e308;
        let e = Vectorizer::from_file(bad).unwrap_err();
        assert!(e.contains("IDF"), "{e}");
        let mut bad = v.to_file();
        bad.idf[0] = 0.5;
        assert!(Vectorizer::from_file(bad).is_err());
    }
}
