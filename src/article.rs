//! Classifying whole articles: sentences, the countries each one mentions, a score for every
//! (sentence, country) pair, and a per-country aggregate with evidence.
//!
//! # Aggregation
//!
//! Each (sentence, country) pair is scored by the model with target-aware features, so two
//! countries in one sentence get their own labels. A sentence's **weight** says how directly it
//! speaks of the country: `1 / sqrt(number of countries in the sentence)`, so a sentence about
//! one country counts fully and a list of twelve abstainers counts little for each.
//!
//! A country's stance in an article is what the article says of it: a handful of sentences
//! saying Japan sanctioned Russia make Japan `against` even if fifty other sentences mention
//! Japan without taking a side. So for a head with a neutral label (`neutral`, `none`,
//! `neither`), each sentence's **polar evidence** is `x = w · max(0, 1 − 2·p(neutral))`: zero for
//! a sentence that does not take a side, up to `w` for one that clearly does. With `M = Σ x` and
//! the side each polar sentence leans to, the article scores are
//! `p(c) = (1 − e^−M) · side(c) + e^−M · mean(c)`, where `side` is the `x`-weighted share of the
//! polar labels and `mean` the `w`-weighted mean of the sentence distributions (the picture when
//! no sentence takes a side). Heads without a neutral label use the weighted geometric mean of
//! the sentence probabilities.
//!
//! The label is the most probable one. Its **confidence** is that probability scaled by how much
//! the article says about the country: `p(label) · (1 − e^−Σw)`. A country named once in
//! passing in a crowded sentence therefore gets a low confidence instead of a confident guess;
//! one discussed in three sentences of its own gets nearly its full probability.
//!
//! Russia is counted (mentions, sentiment) but gets no stance toward itself.
//!
//! # Long sentences
//!
//! A "sentence" longer than [`MAX_SENTENCE_BYTES`] (a text without terminators, a table, a
//! gigabyte on one line) is scored in pieces of at most that size, cut at whitespace and
//! never inside a country mention. Each piece counts as a sentence, so the work per
//! (sentence, country) pair and the size of an evidence sentence stay bounded.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::countries::{EntityId, Gazetteer, Mention};
use crate::features::{Doc, Mark, RowView, TargetMode};
use crate::model::Classifier;
use crate::model::linear::argmax;
use crate::pipeline::marker_for;
use crate::text::sentences::{self, SentenceSpan};

/// The longest span scored as one sentence, in bytes; longer sentences are cut (see the
/// [module docs](self#long-sentences)).
pub const MAX_SENTENCE_BYTES: usize = 4096;

/// An article to classify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Its identifier (file name, JSON id, CSV id).
    pub id: String,
    /// Its text.
    pub text: String,
}

/// Options for [`classify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassifyOptions {
    /// Evidence sentences per country.
    pub evidence: usize,
    /// Features that pushed each country's stance most (0: none).
    pub explain: usize,
}

impl Default for ClassifyOptions {
    fn default() -> Self {
        ClassifyOptions {
            evidence: 3,
            explain: 0,
        }
    }
}

/// A head's article-level result for one country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeadResult {
    /// The most probable label.
    pub label: String,
    /// Its probability scaled by the amount of evidence (see the module docs).
    pub confidence: f64,
    /// The aggregated probability of every label.
    pub scores: BTreeMap<String, f64>,
}

/// One evidence sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The sentence text.
    pub sentence: String,
    /// Byte offset of the sentence in the article.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The sentence's own stance label for this country (absent for Russia).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stance: Option<String>,
    /// The sentence's own sentiment label for this country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<String>,
    /// The sentence's weight in the aggregate.
    pub weight: f64,
}

/// A feature that pushed a country's stance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Push {
    /// The feature (term).
    pub feature: String,
    /// Its contribution to the chosen label's score over the others' mean.
    pub weight: f64,
}

/// Everything said about one country in an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryResult {
    /// Canonical name.
    pub country: String,
    /// ISO 3166-1 alpha-3 code (or the bloc's code).
    pub iso3: String,
    /// Number of mentions.
    pub mentions: usize,
    /// Stance toward Russia (`None` for Russia itself, or a model without a stance head).
    pub stance: Option<HeadResult>,
    /// Sentiment toward the country.
    pub sentiment: Option<HeadResult>,
    /// The sentences that weighed most.
    pub evidence: Vec<Evidence>,
    /// The features that pushed the stance most (with `explain`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub explain: Vec<Push>,
}

/// The result for one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleResult {
    /// The article id.
    pub id: String,
    /// Countries, sorted by mentions (descending), then name.
    pub countries: Vec<CountryResult>,
}

/// One scored (sentence, country) pair.
struct PairScore {
    sentence: usize,
    weight: f64,
    /// Probabilities per head, in `model.heads` order.
    probs: Vec<Vec<f64>>,
    /// Feature contributions to the stance head (with `explain`).
    pushes: Vec<(usize, f64)>,
}

/// Classifies one article.
pub fn classify(
    model: &Classifier,
    gazetteer: &Gazetteer,
    article: &Article,
    opts: &ClassifyOptions,
) -> ArticleResult {
    let text = article.text.as_str();
    let mentions = gazetteer.find(text);
    let spans = bounded(sentences::split(text), text, &mentions, MAX_SENTENCE_BYTES);
    let mention_mode =
        model.vectorizer.analyzer().params().get().target_mode == TargetMode::Mention;
    let heads: Vec<(&String, &crate::model::Head)> = model.heads.iter().collect();
    let stance_idx = heads.iter().position(|(n, _)| n.as_str() == "stance");

    // Mentions per entity, and per sentence.
    let mut counts: BTreeMap<EntityId, usize> = BTreeMap::new();
    for m in &mentions {
        *counts.entry(m.entity).or_insert(0) += 1;
    }
    let mut pairs: BTreeMap<EntityId, Vec<PairScore>> = BTreeMap::new();
    let mut m_idx = 0;
    for (si, span) in spans.iter().enumerate() {
        while mentions.get(m_idx).is_some_and(|m| m.start < span.start) {
            m_idx += 1;
        }
        let mut inside: Vec<Mention> = Vec::new();
        let mut j = m_idx;
        while let Some(m) = mentions.get(j).filter(|m| m.end <= span.end) {
            inside.push(Mention {
                start: m.start - span.start,
                end: m.end - span.start,
                ..*m
            });
            j += 1;
        }
        if inside.is_empty() {
            continue;
        }
        let sentence = text.get(span.start..span.end).unwrap_or("");
        let mut entities: Vec<EntityId> = inside.iter().map(|m| m.entity).collect();
        entities.sort_unstable();
        entities.dedup();
        let weight = 1.0 / (entities.len() as f64).sqrt();
        for &e in &entities {
            // A country named only as the scene of the war ("the invasion of Ukraine", "the war
            // in Syria", "the Ukraine crisis") is not acting in this sentence: it counts little.
            let scene_only = inside
                .iter()
                .filter(|m| m.entity == e)
                .all(|m| is_scene_mention(sentence, m.start, m.end));
            let weight = if scene_only {
                weight * SCENE_WEIGHT
            } else {
                weight
            };
            let name = gazetteer.get(e).map_or("", |x| x.name.as_str());
            let marks: Vec<Mark> = if mention_mode {
                inside
                    .iter()
                    .map(|m| Mark {
                        start: m.start,
                        end: m.end,
                        target: m.entity == e,
                        marker: marker_for(gazetteer.get(m.entity).map_or("", |x| x.code.as_str())),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let doc = Doc {
                text: sentence,
                target: Some(name),
                marks: &marks,
            };
            let (idx, val) = model.vectorizer.transform_unsorted(&doc);
            let row = RowView {
                indices: &idx,
                values: &val,
            };
            let probs: Vec<Vec<f64>> = heads
                .iter()
                .map(|(_, h)| {
                    let mut p = vec![0.0; h.labels.len()];
                    h.proba(row, Some(name), &mut p);
                    p
                })
                .collect();
            let pushes = match (opts.explain > 0, stance_idx.and_then(|i| heads.get(i))) {
                (true, Some((_, h))) => {
                    let m = h.model_for(Some(name));
                    let k = m.n_classes;
                    let best = probs.get(stance_idx.unwrap_or(0)).map_or(0, |p| argmax(p));
                    row.iter()
                        .map(|(j, v)| {
                            let w = |c: usize| m.weights.get(j * k + c).copied().unwrap_or(0.0);
                            let others = (0..k).filter(|&c| c != best).map(w).sum::<f64>()
                                / (k.max(2) - 1) as f64;
                            (j, v * (w(best) - others) * weight)
                        })
                        .collect()
                }
                _ => Vec::new(),
            };
            pairs.entry(e).or_default().push(PairScore {
                sentence: si,
                weight,
                probs,
                pushes,
            });
        }
    }

    let mut countries: Vec<CountryResult> = counts
        .iter()
        .filter_map(|(&e, &n)| {
            let ent = gazetteer.get(e)?;
            let scored = pairs.get(&e).map_or(&[][..], Vec::as_slice);
            let is_russia = ent.code == "RUS";
            let mut head_results: Vec<Option<HeadResult>> = Vec::new();
            for (hi, (name, head)) in heads.iter().enumerate() {
                if is_russia && name.as_str() == "stance" {
                    head_results.push(None);
                    continue;
                }
                head_results.push(aggregate(head.labels.as_slice(), scored, hi));
            }
            let find = |head: &str| {
                heads
                    .iter()
                    .position(|(n, _)| n.as_str() == head)
                    .and_then(|i| head_results.get(i).cloned().flatten())
            };
            let label_of = |p: &PairScore, head: &str| -> Option<String> {
                if is_russia && head == "stance" {
                    return None;
                }
                let i = heads.iter().position(|(n, _)| n.as_str() == head)?;
                let probs = p.probs.get(i)?;
                heads
                    .get(i)
                    .and_then(|(_, h)| h.labels.label(argmax(probs)))
                    .map(str::to_string)
            };
            // Evidence: the sentences that best support the article-level labels, weighted by
            // how directly they speak of the country.
            let mut order: Vec<&PairScore> = scored.iter().collect();
            let chosen: Vec<Option<usize>> = heads
                .iter()
                .zip(&head_results)
                .map(|((_, h), r)| r.as_ref().and_then(|r| h.labels.index(&r.label)))
                .collect();
            let strength = |p: &PairScore| {
                p.weight
                    * p.probs
                        .iter()
                        .zip(&chosen)
                        .map(|(v, c)| c.and_then(|c| v.get(c).copied()).unwrap_or(0.0))
                        .sum::<f64>()
            };
            order.sort_by(|a, b| {
                strength(b)
                    .total_cmp(&strength(a))
                    .then(a.sentence.cmp(&b.sentence))
            });
            let evidence = order
                .iter()
                .take(opts.evidence)
                .filter_map(|p| {
                    let span = spans.get(p.sentence)?;
                    Some(Evidence {
                        sentence: text.get(span.start..span.end)?.to_string(),
                        start: span.start,
                        end: span.end,
                        stance: label_of(p, "stance"),
                        sentiment: label_of(p, "sentiment"),
                        weight: p.weight,
                    })
                })
                .collect();
            let explain = if opts.explain > 0 && !is_russia {
                let mut sum: BTreeMap<usize, f64> = BTreeMap::new();
                for p in scored {
                    for &(j, v) in &p.pushes {
                        *sum.entry(j).or_insert(0.0) += v;
                    }
                }
                let mut v: Vec<(usize, f64)> = sum.into_iter().filter(|(_, w)| *w > 0.0).collect();
                v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                v.into_iter()
                    .take(opts.explain)
                    .map(|(j, w)| Push {
                        feature: model.vectorizer.term(j).unwrap_or("?").to_string(),
                        weight: w,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Some(CountryResult {
                country: ent.name.clone(),
                iso3: ent.code.clone(),
                mentions: n,
                stance: find("stance"),
                sentiment: find("sentiment"),
                evidence,
                explain,
            })
        })
        .collect();
    countries.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then_with(|| a.country.cmp(&b.country))
    });
    ArticleResult {
        id: article.id.clone(),
        countries,
    }
}

/// Cuts spans longer than `max` bytes into pieces of at most `max` bytes (assumed to be at
/// least the longest mention): at the last whitespace before the limit, moved back before a
/// mention it would split; at the limit's char boundary when there is no whitespace. Pieces
/// keep the [`SentenceSpan`] guarantees (non-empty, trimmed, in order).
fn bounded(
    spans: Vec<SentenceSpan>,
    text: &str,
    mentions: &[Mention],
    max: usize,
) -> Vec<SentenceSpan> {
    if spans.iter().all(|s| s.end - s.start <= max) {
        return spans;
    }
    let floor = |mut i: usize| {
        while i > 0 && !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let mut out = Vec::with_capacity(spans.len());
    for s in spans {
        let mut start = s.start;
        while s.end - start > max {
            let limit = floor(start + max);
            let window = text.get(start..limit).unwrap_or("");
            let mut cut = window
                .rfind(char::is_whitespace)
                .filter(|&i| i > 0)
                .map_or(limit, |i| start + i);
            // Not inside a mention: the first mention ending after the cut must start at or
            // after it.
            let k = mentions.partition_point(|m| m.end <= cut);
            if let Some(m) = mentions.get(k).filter(|m| m.start < cut && m.start > start) {
                cut = m.start;
            }
            if cut <= start {
                cut = (start + 1..=s.end)
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(s.end);
            }
            let piece = text.get(start..cut).unwrap_or("").trim_end();
            if !piece.is_empty() {
                out.push(SentenceSpan {
                    start,
                    end: start + piece.len(),
                });
            }
            let rest = text.get(cut..s.end).unwrap_or("");
            start = cut + (rest.len() - rest.trim_start().len());
        }
        if start < s.end {
            out.push(SentenceSpan { start, end: s.end });
        }
    }
    out
}

/// The weight factor of a sentence that names a country only as the scene of events.
const SCENE_WEIGHT: f64 = 0.2;

/// Whether the mention at `start..end` of `sentence` names the place where something happens
/// rather than an actor: "war in|on X", "invasion of X", "attack(s) on X", "crisis/conflict/
/// fighting/situation in X", or "X war|conflict|crisis|invasion".
fn is_scene_mention(sentence: &str, start: usize, end: usize) -> bool {
    let before: Vec<String> = sentence
        .get(..start)
        .unwrap_or("")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .map(str::to_lowercase)
        .collect();
    let after = sentence
        .get(end..)
        .unwrap_or("")
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .map(str::to_lowercase);
    let prep = before.first().map(String::as_str);
    // "the invasion of Ukraine": skip an article between the preposition and the name.
    let (prep, noun) = match (
        prep,
        before.get(1).map(String::as_str),
        before.get(2).map(String::as_str),
    ) {
        (Some("the"), p, n) => (p, n),
        (p, n, _) => (p, n),
    };
    const SCENE_NOUNS: &[&str] = &[
        "war",
        "invasion",
        "attack",
        "attacks",
        "assault",
        "crisis",
        "conflict",
        "fighting",
        "situation",
        "occupation",
        "aggression",
        "offensive",
        "strikes",
        "bombing",
        "shelling",
    ];
    let noun_is_scene = noun.is_some_and(|n| SCENE_NOUNS.contains(&n));
    let prep_ok = matches!(prep, Some("in" | "on" | "of" | "against" | "over"));
    let followed_by_scene = after.as_deref().is_some_and(|a| {
        matches!(
            a,
            "war" | "conflict" | "crisis" | "invasion" | "front" | "battlefield"
        )
    });
    (prep_ok && noun_is_scene) || followed_by_scene
}

/// The label that means "no side" (`neutral`, `none`, `neither`, any case), if the head has one.
fn neutral_index(labels: &[String]) -> Option<usize> {
    labels.iter().position(|l| {
        ["neutral", "none", "neither"]
            .iter()
            .any(|n| l.eq_ignore_ascii_case(n))
    })
}

/// How much more a sentence's polar labels weigh than its neutral one (0 when it does not
/// take a side). Many unsure sentences add up to nothing; one decided sentence counts.
fn excess(probs: &[f64], neutral: usize) -> f64 {
    let n = probs.get(neutral).copied().unwrap_or(0.0);
    (1.0 - 2.0 * n).max(0.0)
}

/// Aggregates head `hi` over the scored sentences (see the module docs).
fn aggregate(labels: &[String], scored: &[PairScore], hi: usize) -> Option<HeadResult> {
    let k = labels.len();
    let total: f64 = scored.iter().map(|p| p.weight).sum();
    if scored.is_empty() || total <= 0.0 {
        return None;
    }
    // The weighted mean of the sentence distributions: the picture when nothing stands out.
    let mut mean = vec![0.0; k];
    for p in scored {
        for (m, &q) in mean.iter_mut().zip(p.probs.get(hi)?) {
            *m += p.weight * q / total;
        }
    }
    let scores = match neutral_index(labels) {
        Some(neutral) => {
            // Polar evidence: sentences that take a side, and which side.
            let mut mass = 0.0;
            let mut side = vec![0.0; k];
            for p in scored {
                let probs = p.probs.get(hi)?;
                let x = p.weight * excess(probs, neutral);
                if x <= 0.0 {
                    continue;
                }
                let polar: f64 = probs
                    .iter()
                    .enumerate()
                    .filter(|(c, _)| *c != neutral)
                    .map(|(_, q)| q)
                    .sum();
                for (c, (s, &q)) in side.iter_mut().zip(probs).enumerate() {
                    if c != neutral && polar > 0.0 {
                        *s += x * q / polar;
                    }
                }
                mass += x;
            }
            let p_polar = 1.0 - (-mass).exp();
            (0..k)
                .map(|c| {
                    let direction = if mass > 0.0 {
                        side.get(c).copied().unwrap_or(0.0) / mass
                    } else {
                        0.0
                    };
                    p_polar * direction + (1.0 - p_polar) * mean.get(c).copied().unwrap_or(0.0)
                })
                .collect::<Vec<f64>>()
        }
        None => {
            // No neutral label: the weighted geometric mean of the sentence probabilities.
            let mut acc = vec![0.0; k];
            for p in scored {
                for (a, &q) in acc.iter_mut().zip(p.probs.get(hi)?) {
                    *a += p.weight * q.max(1e-12).ln() / total;
                }
            }
            crate::model::linear::softmax_in_place(&mut acc);
            acc
        }
    };
    let best = argmax(&scores);
    let p_best = scores.get(best).copied().unwrap_or(0.0);
    let confidence = p_best * (1.0 - (-total).exp());
    Some(HeadResult {
        label: labels.get(best)?.clone(),
        confidence: round6(confidence),
        scores: labels
            .iter()
            .cloned()
            .zip(scores.iter().map(|&v| round6(v)))
            .collect(),
    })
}

/// Rounds to 6 decimals: output stays stable across platforms' last-bit float differences.
fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// Classifies many articles in parallel; the output order is the input order.
pub fn classify_all(
    model: &Classifier,
    gazetteer: &Gazetteer,
    articles: &[Article],
    opts: &ClassifyOptions,
) -> Vec<ArticleResult> {
    articles
        .par_iter()
        .map(|a| classify(model, gazetteer, a, opts))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, max: usize) -> Vec<&str> {
        let g = Gazetteer::builtin().unwrap();
        let mentions = g.find(text);
        let spans = bounded(sentences::split(text), text, &mentions, max);
        for w in spans.windows(2) {
            assert!(w[0].end <= w[1].start);
        }
        for m in &mentions {
            assert!(
                spans.iter().any(|s| s.start <= m.start && m.end <= s.end),
                "mention {m:?} split"
            );
        }
        let out: Vec<&str> = spans.iter().map(|s| s.as_str(text)).collect();
        let joined: String = out.concat();
        let all: String = text.split_whitespace().collect();
        assert_eq!(joined.replace(char::is_whitespace, ""), all);
        out
    }

    #[test]
    fn long_sentences_are_cut_at_whitespace_outside_mentions() {
        let text = "aaaa bbbb cccc North Korea dddd. Short one.";
        let p = pieces(text, 20);
        assert!(p.iter().all(|s| s.len() <= 20), "{p:?}");
        assert!(p.contains(&"North Korea dddd."), "{p:?}");
        assert_eq!(
            pieces(text, 4096),
            ["aaaa bbbb cccc North Korea dddd.", "Short one."]
        );
        // No whitespace: cut at char boundaries.
        let cjk = "日本".repeat(20);
        let p = pieces(&cjk, 10);
        assert!(p.iter().all(|s| s.len() <= 10 && !s.is_empty()), "{p:?}");
    }

    /// A 400 kB single line naming Japan, Russia and India 60,000 times took 84 s and 1 GB in
    /// `classify` (one sentence, every mention scored against every word of it); it is now
    /// scored in pieces of at most MAX_SENTENCE_BYTES, which the evidence shows.
    #[test]
    fn regression_long_line_with_many_mentions_is_linear() {
        let model = crate::model::persist::from_bytes(
            include_bytes!("../fuzz/seeds/model/logistic.json"),
            &crate::Source::Memory,
        )
        .unwrap();
        let article = Article {
            id: "long".into(),
            text: "Japan sanctioned Russia and India abstained ".repeat(20_000),
        };
        let r = classify(
            &model,
            Gazetteer::builtin().unwrap(),
            &article,
            &ClassifyOptions::default(),
        );
        assert_eq!(r.countries.len(), 3);
        assert!(r.countries.iter().all(|c| c.mentions == 20_000));
        for c in &r.countries {
            assert!(
                c.evidence
                    .iter()
                    .all(|e| e.sentence.len() <= MAX_SENTENCE_BYTES)
            );
        }
    }

    fn scene(sentence: &str, name: &str) -> bool {
        let start = sentence.find(name).unwrap();
        is_scene_mention(sentence, start, start + name.len())
    }

    #[test]
    fn scene_mentions_are_places_not_actors() {
        assert!(scene(
            "since the invasion of Ukraine, prices rose",
            "Ukraine"
        ));
        assert!(scene("the war in Ukraine dragged on", "Ukraine"));
        assert!(scene("the Ukraine war hit exports", "Ukraine"));
        assert!(scene("Russia's attacks on Ukraine continued", "Ukraine"));
        assert!(!scene("Ukraine thanked Poland", "Ukraine"));
        assert!(!scene("Japan sent aid to Ukraine", "Ukraine"));
    }
}
