//! Finding gazetteer forms in raw text: one Aho-Corasick automaton (leftmost-longest), a
//! word-boundary check, blocker phrases, and a few context rules for ambiguous names.
//!
//! The rules are described in the [module docs](super#matching); this file keeps their word
//! lists next to the code that applies them.

use std::ops::Range;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use rustc_hash::FxHashSet;

use super::gazetteer::{Entity, EntityId, FormEntry, FormType};

/// One mention of an entity in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mention {
    /// The entity mentioned.
    pub entity: EntityId,
    /// Byte offset of the first byte of the mention.
    pub start: usize,
    /// Byte offset one past the last byte (end-exclusive).
    pub end: usize,
    /// The type of the form that matched (a name, a capital, a leader, ...).
    pub form_type: FormType,
}

impl Mention {
    /// The byte range `start..end`.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The mentioned text, given the text that was searched (empty if `text` is another one
    /// and the range does not fit it).
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.range()).unwrap_or("")
    }
}

/// Phrases that contain an entity form but name no entity (regions, seas, peoples, ...).
/// A blocker that matches consumes its span, so the form inside it is not reported.
pub const BLOCKERS: &[&str] = &[
    // "America" is the United States, but not in the continents and their peoples.
    "Latin America",
    "Latin American",
    "Latin Americans",
    "South America",
    "South American",
    "South Americans",
    "Central America",
    "Central American",
    "Central Americans",
    "North America",
    "North American",
    "North Americans",
    "Native American",
    "Native Americans",
    "American Indian",
    "American Indians",
    "American Samoa",
    "Pan-American",
    "Pan American",
    "Organization of American States",
    "Gulf of America",
    // Korea: the peninsula and the war are about both Koreas.
    "Korean Peninsula",
    "Korean peninsula",
    "Korean War",
    "Korean war",
    "inter-Korean",
    // Seas, rivers, lakes and regions named after a country.
    "South China Sea",
    "East China Sea",
    "South China Morning Post",
    "Sea of Japan",
    "Philippine Sea",
    "Indian Ocean",
    "West Indian",
    "West Indians",
    "West Indies",
    "Gulf of Mexico",
    "New Mexico",
    "New Mexican",
    "New Mexicans",
    "Gulf of Guinea",
    "New Guinea",
    "Guinea pig",
    "Guinea pigs",
    "Guinea worm",
    "Gulf of Oman",
    "Niger Delta",
    "Niger River",
    "River Niger",
    "Congo Basin",
    "Congo River",
    "River Congo",
    "Jordan River",
    "River Jordan",
    "Jordan Valley",
    "Lake Chad",
    "South Georgia",
    "Northern Ireland",
    "Northern Irish",
    "Turks and Caicos",
    // A Chinese city, not "Xi" + possessive.
    "Xi'an",
    // The climate treaty is not France acting.
    "Paris climate",
    "Paris agreement",
    "Paris accord",
    "Paris accords",
    // Food.
    "French fries",
    "French toast",
    // Groups and places named after a state that are not the state.
    "East Jerusalem",
    "Central African states",
    "Economic Community of Central African States",
    "Pakistani Taliban",
    "Tehrik-i-Taliban",
    "Bosnian Serb",
    "Bosnian Serbs",
    "Kosovo Serb",
    "Kosovo Serbs",
    "Quad Cities",
    "South Pole",
    "North Pole",
    // US towns named after capitals.
    "Warsaw, Indiana",
    "Moscow, Idaho",
    "Paris, Texas",
    "Athens, Georgia",
    "Athens, Ohio",
    // Americans by origin (the usual unhyphenated style), not the two states.
    "African American",
    "African Americans",
    "African-American",
    "African-Americans",
    "Asian American",
    "Asian Americans",
    "Asian-American",
    "Asian-Americans",
    "Mexican American",
    "Mexican Americans",
    "Cuban American",
    "Cuban Americans",
    "Chinese American",
    "Chinese Americans",
    "Korean American",
    "Korean Americans",
    "Japanese American",
    "Japanese Americans",
    "Indian American",
    "Indian Americans",
    "Irish American",
    "Irish Americans",
    "Italian American",
    "Italian Americans",
    "Filipino American",
    "Filipino Americans",
    "Vietnamese American",
    "Vietnamese Americans",
    "Haitian American",
    "Haitian Americans",
    // Namesakes of leaders known by surname.
    "Daniil Medvedev",
    "Werner Herzog",
    "Jay Carney",
    "de Lima",
    "ZUMA Press",
    "ZUMA Wire",
];

/// What a pattern stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Entity { id: EntityId, form_type: FormType },
    Block,
}

/// The context rule checked after a pattern matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Plain,
    /// `name`: the form is the name `Georgia`, not the adjective.
    Georgia {
        name: bool,
    },
    Turkey,
    GivenName,
    Washington,
    Us,
    NotCurrency,
    /// Index into [`SWITCHES`].
    Switch(u8),
    HyphenPrefix,
}

/// A form whose default entity gives way to another one when cues are nearby (and none of
/// the `unless` cues are): `Brussels` is the EU, but Belgium next to "Belgian".
struct Switch {
    code: &'static str,
    forms: &'static [&'static str],
    cues: &'static [&'static str],
    unless: &'static [&'static str],
    to: &'static str,
}

/// EU-institution cues, which keep an EU reading.
const EU_CUES: &[&str] = &[
    "EU",
    "E.U.",
    "European Union",
    "European Council",
    "European Commission",
    "foreign policy chief",
    "High Representative",
];

/// The switch rules, documented in the module docs.
const SWITCHES: &[Switch] = &[
    Switch {
        code: "COD",
        forms: &["Congo", "the Congo", "Congolese"],
        cues: &["Brazzaville", "Sassou"],
        unless: &[],
        to: "COG",
    },
    Switch {
        code: "JOR",
        forms: &["King Abdullah"],
        cues: &["Saudi", "Riyadh", "late King Abdullah"],
        unless: &["Jordan", "Jordanian", "Amman", "Hashemite"],
        to: "SAU",
    },
    Switch {
        code: "EU",
        forms: &["Brussels"],
        cues: &["Belgian", "Belgians", "Belgium"],
        unless: EU_CUES,
        to: "BEL",
    },
    Switch {
        code: "EU",
        forms: &["Charles Michel"],
        cues: &["Belgian", "Belgium"],
        unless: EU_CUES,
        to: "BEL",
    },
    Switch {
        code: "EU",
        forms: &["António Costa", "Antonio Costa"],
        cues: &["Portugal", "Portuguese", "Lisbon"],
        unless: EU_CUES,
        to: "PRT",
    },
    Switch {
        code: "EU",
        forms: &["Kaja Kallas", "Kallas"],
        cues: &["Estonia", "Estonian", "Tallinn"],
        unless: EU_CUES,
        to: "EST",
    },
    Switch {
        code: "EU",
        forms: &["Josep Borrell", "Borrell"],
        cues: &["Spain", "Spanish", "Madrid"],
        unless: EU_CUES,
        to: "ESP",
    },
    Switch {
        code: "EU",
        forms: &["Federica Mogherini", "Mogherini"],
        cues: &["Italy", "Italian", "Rome"],
        unless: EU_CUES,
        to: "ITA",
    },
    Switch {
        code: "NATO",
        forms: &["Mark Rutte", "Rutte"],
        cues: &["Dutch", "Netherlands", "The Hague"],
        unless: &[
            "NATO",
            "Nato",
            "alliance",
            "secretary general",
            "secretary-general",
        ],
        to: "NLD",
    },
    Switch {
        code: "POL",
        forms: &["Donald Tusk", "Tusk"],
        cues: &["European Council", "EU", "E.U.", "European Union"],
        unless: &["Poland", "Polish", "Warsaw"],
        to: "EU",
    },
];

/// Which forms carry a context rule (by code and form as written in the gazetteer, so a user
/// gazetteer with the same forms gets the same rules).
fn rule_for(code: &str, form: &str) -> Rule {
    let switch = SWITCHES
        .iter()
        .position(|s| s.code == code && s.forms.contains(&form));
    if let Some(i) = switch.and_then(|i| u8::try_from(i).ok()) {
        return Rule::Switch(i);
    }
    match (code, form) {
        ("GEO", "Georgia") => Rule::Georgia { name: true },
        ("GEO", "Georgian" | "Georgians") => Rule::Georgia { name: false },
        ("TUR", "Turkey") => Rule::Turkey,
        ("TCD", "Chad")
        | ("JOR", "Jordan")
        | ("BGR", "Sofia")
        | ("FRA", "Paris")
        // Surname forms of leaders that are also common given names.
        | ("PHL", "Marcos")
        | ("COL", "Petro")
        | ("NPL", "Oli")
        | ("ALB", "Rama")
        | ("BGD", "Yunus")
        | ("PSE", "Abbas")
        | ("MYS", "Anwar")
        | ("VAT", "Francis") => Rule::GivenName,
        ("USA", "Washington") => Rule::Washington,
        ("USA", "US") => Rule::Us,
        ("AU", "AU") => Rule::NotCurrency,
        (_, "Sino" | "Russo" | "Franco") => Rule::HyphenPrefix,
        _ => Rule::Plain,
    }
}

#[derive(Debug, Clone, Copy)]
struct Pattern {
    target: Target,
    rule: Rule,
    /// The all-caps variant of a form written with lowercase letters (`JAPAN` for `Japan`).
    upper: bool,
}

/// The compiled matcher of a [`Gazetteer`](super::Gazetteer).
#[derive(Debug)]
pub(crate) struct Matcher {
    ac: AhoCorasick,
    patterns: Vec<Pattern>,
    /// The target entity of each of [`SWITCHES`], if the gazetteer has it.
    switch_to: Vec<Option<EntityId>>,
    /// The cues and `unless` cues of each of [`SWITCHES`], compiled.
    switch_cues: Vec<(CueSet, CueSet)>,
    georgia_country: CueSet,
    georgia_state: CueSet,
}

/// A list of cue phrases compiled to find any of them in one pass over a window: ASCII
/// case-insensitive, and whole words on a side where the cue starts or ends with a letter or
/// digit (`Kemp` is not in `Kempinski`; `, Ga.` is in `Atlanta, Ga.`).
#[derive(Debug)]
struct CueSet {
    ac: Option<AhoCorasick>,
}

impl CueSet {
    fn new(cues: &[&str]) -> Result<CueSet, String> {
        if cues.is_empty() {
            return Ok(CueSet { ac: None });
        }
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(cues)
            .map_err(|e| format!("cannot build a cue list: {e}"))?;
        Ok(CueSet { ac: Some(ac) })
    }

    fn found_in(&self, hay: &str) -> bool {
        let Some(ac) = &self.ac else {
            return false;
        };
        ac.find_overlapping_iter(hay).any(|m| {
            let cue = hay.get(m.range()).unwrap_or("");
            (!cue.starts_with(is_word_char) || at_left_boundary(hay, m.start()))
                && (!cue.ends_with(is_word_char) || at_right_boundary(hay, m.end()))
        })
    }
}

/// Forms shorter than this many letters get no all-caps variant (`Xi` ≠ `XI`, the numeral).
const MIN_UPPER_LETTERS: usize = 4;

impl Matcher {
    /// Compiles the default readings of `forms` and the [`BLOCKERS`].
    pub(crate) fn build(entities: &[Entity], forms: &[FormEntry]) -> Result<Matcher, String> {
        let mut primaries: Vec<(&str, Target, Rule)> = Vec::new();
        for f in forms.iter().filter(|f| !f.secondary) {
            let code = entities
                .get(f.entity.index())
                .map_or("", |e| e.code.as_str());
            let target = Target::Entity {
                id: f.entity,
                form_type: f.form_type,
            };
            primaries.push((&f.form, target, rule_for(code, &f.form)));
        }
        for b in BLOCKERS {
            primaries.push((b, Target::Block, Rule::Plain));
        }

        let mut seen: FxHashSet<String> = FxHashSet::default();
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut add = |text: String, target: Target, rule: Rule, upper: bool| {
            if seen.insert(text.clone()) {
                texts.push(text);
                patterns.push(Pattern {
                    target,
                    rule,
                    upper,
                });
            }
        };
        // Forms as written first, so that a variant never shadows a form listed in the file.
        for &(text, target, rule) in &primaries {
            add(text.to_string(), target, rule, false);
        }
        for &(text, target, rule) in &primaries {
            for (variant, upper) in variants(text) {
                add(variant, target, rule, upper);
            }
        }

        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&texts)
            .map_err(|e| format!("cannot build the matcher: {e}"))?;
        let switch_to = SWITCHES
            .iter()
            .map(|s| {
                entities
                    .iter()
                    .position(|e| e.code == s.to)
                    .and_then(|i| u16::try_from(i).ok())
                    .map(EntityId)
            })
            .collect();
        let switch_cues = SWITCHES
            .iter()
            .map(|s| Ok((CueSet::new(s.cues)?, CueSet::new(s.unless)?)))
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Matcher {
            ac,
            patterns,
            switch_to,
            switch_cues,
            georgia_country: CueSet::new(GEORGIA_COUNTRY_CUES)?,
            georgia_state: CueSet::new(GEORGIA_STATE_CUES)?,
        })
    }

    pub(crate) fn find(&self, text: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut pos = 0;
        // One iterator over the text; a fresh one only after a rejected candidate.
        'search: while pos < text.len() {
            for m in self.ac.find_iter(Input::new(text).range(pos..)) {
                let (start, end) = (m.start(), m.end());
                if !at_word_boundary(text, start, end) {
                    // A candidate inside a longer word must not hide one that starts after it
                    // (`the Sudan` in `the Sudanese` hides `Sudanese`). Valid candidates start
                    // at a word start, so search again from the end of this word.
                    pos = next_word_end(text, start);
                    continue 'search;
                }
                let Some(pattern) = self.patterns.get(m.pattern().as_usize()) else {
                    continue;
                };
                let Target::Entity { id, form_type } = pattern.target else {
                    continue; // a blocker
                };
                if let Some(entity) = self.apply_rule(pattern, id, text, start, end) {
                    out.push(Mention {
                        entity,
                        start,
                        end,
                        form_type,
                    });
                }
            }
            break;
        }
        out
    }

    /// The entity a match stands for after its context rule, or `None` if it names no entity.
    fn apply_rule(
        &self,
        pattern: &Pattern,
        id: EntityId,
        text: &str,
        start: usize,
        end: usize,
    ) -> Option<EntityId> {
        let keep = match pattern.rule {
            Rule::Plain => true,
            Rule::Georgia { name } => {
                !self.georgia_is_us_state(text, start, end, name, pattern.upper)
            }
            Rule::Turkey => !turkey_is_the_bird(text, start, end),
            Rule::GivenName => !is_person_name(text, start, end, pattern.upper),
            Rule::Washington => !washington_is_not_the_us(text, start, end, pattern.upper),
            Rule::Us => !us_is_pronoun(text, start) && !after(text, end).starts_with('$'),
            Rule::NotCurrency => !after(text, end).starts_with('$'),
            Rule::HyphenPrefix => after(text, end).starts_with('-'),
            Rule::Switch(i) => {
                let i = usize::from(i);
                let (Some(Some(to)), Some((cues, unless))) =
                    (self.switch_to.get(i), self.switch_cues.get(i))
                else {
                    return Some(id);
                };
                let near = window(text, start, end, CONTEXT_RADIUS);
                return Some(if cues.found_in(near) && !unless.found_in(near) {
                    *to
                } else {
                    id
                });
            }
        };
        keep.then_some(id)
    }

    /// Whether `Georgia` (`name`) or `Georgian(s)` at `start..end` is the US state. For the
    /// adjective only the cues nearby and the place right before count: `Georgian GDP` is the
    /// country.
    fn georgia_is_us_state(
        &self,
        text: &str,
        start: usize,
        end: usize,
        name: bool,
        upper: bool,
    ) -> bool {
        let near = window(text, start, end, CONTEXT_RADIUS);
        if self.georgia_country.found_in(near) {
            return false;
        }
        let b = before(text, start);
        let a = after(text, end);
        let next = next_word(text, end);
        let cued = self.georgia_state.found_in(near)
            || GEORGIA_STATE_BEFORE.iter().any(|s| ends_with_ci(b, s));
        if !name {
            return cued;
        }
        cued || starts_with_ci(a, ", U.S")
            || starts_with_ci(a, ", USA")
            || (starts_with_ci(a, ", US") && at_right_boundary(a, 4))
            || in_list_ci(next, GEORGIA_STATE_NEXT)
            || in_list_ci(word_after_possessive(text, end), GEORGIA_STATE_NEXT)
            // "Georgia Tech", "Georgia O'Keeffe": a capitalised word right after.
            || (!upper
                && next.starts_with(char::is_uppercase)
                && !KEEP_AFTER_NAME.contains(&next))
    }
}

/// The automatic variants of a form: with `’` for `'`, capitalised (`The Kremlin` for
/// `the Kremlin`), and all caps (`JAPAN`). The flag marks the all-caps ones.
fn variants(form: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut push_with_curly = |s: String, upper: bool| {
        if s.contains('\'') {
            out.push((s.replace('\'', "\u{2019}"), upper));
        }
        out.push((s, upper));
    };
    push_with_curly(form.to_string(), false);
    let mut chars = form.chars();
    if let Some(first) = chars.next()
        && first.is_lowercase()
    {
        push_with_curly(first.to_uppercase().chain(chars).collect(), false);
    }
    let letters = form.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= MIN_UPPER_LETTERS && form.chars().any(char::is_lowercase) {
        push_with_curly(form.to_uppercase(), true);
    }
    out
}

/// No letter, digit or `_` right before `start` or right after `end`. Apostrophes, hyphens,
/// punctuation and spaces are boundaries, so `Japan's`, `US-Japan` and `U.S.-led` match.
fn at_word_boundary(text: &str, start: usize, end: usize) -> bool {
    at_left_boundary(text, start) && at_right_boundary(text, end)
}

/// The byte offset of the first non-word char after the char at `start` (or the end).
fn next_word_end(text: &str, start: usize) -> usize {
    let rest = after(text, start);
    let first = rest.chars().next().map_or(1, char::len_utf8);
    rest.char_indices()
        .skip(1)
        .find(|&(_, c)| !is_word_char(c))
        .map_or(text.len(), |(i, _)| start + i)
        .max(start + first)
}

/// Letters, digits (any script) and `_` (as in handles: `@Jim_Jordan`).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// How far (in bytes) to look for context cues on each side of a match.
const CONTEXT_RADIUS: usize = 200;

fn before(text: &str, start: usize) -> &str {
    text.get(..start).unwrap_or("")
}

fn after(text: &str, end: usize) -> &str {
    text.get(end..).unwrap_or("")
}

/// The word (letters and digits) right before `start`, separated from it by spaces only;
/// empty if there is none or something else (a comma, a hyphen) comes between.
fn prev_word(text: &str, start: usize) -> &str {
    let b = before(text, start);
    let trimmed = b.trim_end_matches(' ');
    if trimmed.len() == b.len() {
        return "";
    }
    let word_start = trimmed
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    trimmed.get(word_start..).unwrap_or("")
}

/// The word right after `end`, separated from it by spaces only; empty otherwise.
fn next_word(text: &str, end: usize) -> &str {
    let a = after(text, end);
    let trimmed = a.trim_start_matches(' ');
    if trimmed.len() == a.len() {
        return "";
    }
    let len = trimmed
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(trimmed.len());
    trimmed.get(..len).unwrap_or("")
}

/// The word after a possessive `'s` / `’s` right at `end` (`Georgia's governor` → `governor`).
fn word_after_possessive(text: &str, end: usize) -> &str {
    let a = after(text, end);
    let rest = a
        .strip_prefix("'s")
        .or_else(|| a.strip_prefix("\u{2019}s"))
        .or_else(|| a.strip_prefix("'S"))
        .or_else(|| a.strip_prefix("\u{2019}S"));
    match rest {
        Some(rest) => next_word(rest, 0),
        None => "",
    }
}

/// Up to `radius` bytes of text on each side of `start..end`, cut at char boundaries.
fn window(text: &str, start: usize, end: usize, radius: usize) -> &str {
    let mut lo = start.saturating_sub(radius);
    while lo > 0 && !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = end.saturating_add(radius).min(text.len());
    while hi < text.len() && !text.is_char_boundary(hi) {
        hi += 1;
    }
    text.get(lo..hi).unwrap_or("")
}

/// No word char right before byte `i`.
fn at_left_boundary(text: &str, i: usize) -> bool {
    !before(text, i)
        .chars()
        .next_back()
        .is_some_and(is_word_char)
}

/// No word char right at byte `i`.
fn at_right_boundary(text: &str, i: usize) -> bool {
    !after(text, i).chars().next().is_some_and(is_word_char)
}

fn ends_with_ci(hay: &str, suffix: &str) -> bool {
    let (h, s) = (hay.as_bytes(), suffix.as_bytes());
    h.len() >= s.len()
        && h.get(h.len() - s.len()..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(s))
}

fn starts_with_ci(hay: &str, prefix: &str) -> bool {
    hay.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn in_list_ci(word: &str, list: &[&str]) -> bool {
    !word.is_empty() && list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Whether `word` is in `list`: exactly for text as written, case-insensitively for an
/// all-caps match (whose neighbours are all caps too).
fn in_list(word: &str, list: &[&str], upper: bool) -> bool {
    if upper {
        in_list_ci(word, list)
    } else {
        list.contains(&word)
    }
}

/// Names of the country of Georgia's capital, parties and leaders: any of these nearby means
/// the country, whatever else is there.
const GEORGIA_COUNTRY_CUES: &[&str] = &[
    "Tbilisi",
    "Georgian Dream",
    "Kobakhidze",
    "Garibashvili",
    "Zourabichvili",
    "Kavelashvili",
    "Ivanishvili",
    "Saakashvili",
    "Abkhazia",
    "Ossetia",
    "Caucasus",
    "Batumi",
    "Kutaisi",
];

/// Places and politicians of the US state: any of these nearby means the state.
const GEORGIA_STATE_CUES: &[&str] = &[
    "Atlanta",
    "Savannah",
    "Kemp",
    "Raffensperger",
    "Fulton County",
    "Warnock",
    "Ossoff",
    ", Ga.",
    "Peach State",
    "gubernatorial",
    "Taylor Greene",
];

/// A word right after `Georgia` (or after `Georgia's`) that makes it the state.
const GEORGIA_STATE_NEXT: &[&str] = &[
    "senate",
    "senator",
    "house",
    "legislature",
    "legislators",
    "lawmakers",
    "primary",
    "primaries",
    "runoff",
    "runoffs",
    "republican",
    "republicans",
    "democrat",
    "democrats",
    "democratic",
    "gop",
    "governor",
    "gov",
    "lieutenant",
    "voters",
    "county",
    "counties",
    "tech",
    "state",
    "bulldogs",
    "power",
    "secretary",
    "attorney",
    "general",
    "congressional",
    "electoral",
    "supreme",
    "peach",
];

/// A city of the state right before `Georgia` ("Atlanta, Georgia").
const GEORGIA_STATE_BEFORE: &[&str] = &[
    "state of ",
    "atlanta, ",
    "savannah, ",
    "augusta, ",
    "macon, ",
    "athens, ",
    "columbus, ",
    "marietta, ",
    "county, ",
    "party of ",
];

/// Capitalised words after a name-like country form that still mean the country
/// ("Jordan President", "Chad Monday").
const KEEP_AFTER_NAME: &[&str] = &[
    "President",
    "Presidential",
    "Prime",
    "PM",
    "Premier",
    "Foreign",
    "Defence",
    "Defense",
    "Interior",
    "Finance",
    "Minister",
    "Ministry",
    "Government",
    "Parliament",
    "Army",
    "Armed",
    "Military",
    "Police",
    "Embassy",
    "Ambassador",
    "King",
    "Queen",
    "Crown",
    "Prince",
    "Princess",
    "Jr",
    "National",
    "Central",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Given names right before a name-like country form ("Michael Jordan").
const GIVEN_NAMES_BEFORE: &[&str] = &[
    "Michael", "Jim", "Vernon", "Barbara", "Eddie", "Hamilton", "Robert", "Mary", "John", "James",
    "Chris", "David", "Kathy",
];

/// Words around a capitalised `Turkey` that make it the bird (in title-case or all-caps text).
const TURKEY_BIRD_BEFORE: &[&str] = &[
    "thanksgiving",
    "christmas",
    "roast",
    "roasted",
    "wild",
    "stuffed",
    "smoked",
    "frozen",
    "fried",
    "carved",
    "pardoned",
    "pardons",
    "pardon",
];
const TURKEY_BIRD_AFTER: &[&str] = &[
    "sandwich",
    "sandwiches",
    "dinner",
    "dinners",
    "breast",
    "leg",
    "legs",
    "trot",
    "burger",
    "burgers",
    "bacon",
    "gravy",
    "vulture",
    "vultures",
    "pardon",
    "feathers",
    "farm",
    "farms",
    "hunting",
];

fn turkey_is_the_bird(text: &str, start: usize, end: usize) -> bool {
    in_list_ci(prev_word(text, start), TURKEY_BIRD_BEFORE)
        || in_list_ci(next_word(text, end), TURKEY_BIRD_AFTER)
}

fn is_person_name(text: &str, start: usize, end: usize, upper: bool) -> bool {
    let next = next_word(text, end);
    // In all-caps text every word is capitalised, so only the word before can tell.
    (!upper && next.starts_with(char::is_uppercase) && !KEEP_AFTER_NAME.contains(&next))
        || in_list(prev_word(text, start), GIVEN_NAMES_BEFORE, upper)
}

const WASHINGTON_PERSON_BEFORE: &[&str] = &[
    "George", "Denzel", "Booker", "Martha", "Kerry", "Harold", "Isaiah",
];
/// Newspapers, teams and people named Washington something.
const WASHINGTON_NOT_US_AFTER: &[&str] = &[
    "Post",
    "Times",
    "Examiner",
    "Free",
    "Nationals",
    "Commanders",
    "Wizards",
    "Capitals",
    "Mystics",
    "Huskies",
    "Redskins",
    "Spirit",
    "Monthly",
    "Irving",
    "Heights",
    "Square",
];

fn washington_is_not_the_us(text: &str, start: usize, end: usize, upper: bool) -> bool {
    let b = before(text, start);
    let next = next_word(text, end);
    in_list(prev_word(text, start), WASHINGTON_PERSON_BEFORE, upper)
        || ends_with_ci(b, "state of ")
        || ends_with_ci(b, "university of ")
        || next.eq_ignore_ascii_case("state")
        || in_list(next, WASHINGTON_NOT_US_AFTER, upper)
}

/// All-caps verbs after which `US` is the pronoun ("LET US", "CONTACT US").
const US_PRONOUN_BEFORE: &[&str] = &[
    "LET", "JOIN", "TELL", "GIVE", "HELP", "FOLLOW", "CONTACT", "SHOW", "SEND", "EMAIL", "CALL",
];

fn us_is_pronoun(text: &str, start: usize) -> bool {
    US_PRONOUN_BEFORE.contains(&prev_word(text, start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;
    use crate::countries::Gazetteer;

    fn g() -> &'static Gazetteer {
        Gazetteer::builtin().unwrap()
    }

    /// (code, matched text) of every mention, in order.
    fn found(text: &str) -> Vec<(String, String)> {
        let g = g();
        g.find(text)
            .iter()
            .map(|m| (g.entity(m.entity).code.clone(), m.text(text).to_string()))
            .collect()
    }

    fn codes(text: &str) -> Vec<String> {
        found(text).into_iter().map(|(c, _)| c).collect()
    }

    #[track_caller]
    fn assert_codes(text: &str, expected: &[&str]) {
        assert_eq!(codes(text), expected, "in {text:?}: {:?}", found(text));
    }

    #[test]
    fn finds_names_with_offsets() {
        let text = "Japan and China met in Tokyo.";
        let ms = g().find(text);
        let got: Vec<(&str, usize, usize, FormType)> = ms
            .iter()
            .map(|m| {
                (
                    g().entity(m.entity).code.as_str(),
                    m.start,
                    m.end,
                    m.form_type,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("JPN", 0, 5, FormType::Name),
                ("CHN", 10, 15, FormType::Name),
                ("JPN", 23, 28, FormType::Capital)
            ]
        );
    }

    #[test]
    fn offsets_are_bytes_in_multibyte_text() {
        let text = "«Über» Türkiye’s and 日本 Japan—Kyiv’s";
        let ms = g().find(text);
        let spans: Vec<&str> = ms.iter().map(|m| m.text(text)).collect();
        assert_eq!(spans, ["Türkiye", "Japan", "Kyiv"]);
        let first = ms.first().unwrap();
        assert_eq!(first.start, text.find("Türkiye").unwrap());
        assert_eq!(first.end, first.start + "Türkiye".len());
        assert!(ms.windows(2).all(|w| w[0].start < w[1].start));
        for m in &ms {
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        }
    }

    #[test]
    fn longest_match_wins() {
        assert_codes("North Korea fired a missile.", &["PRK"]);
        assert_codes("South Korea and Korea", &["KOR", "KOR"]);
        assert_codes("South Africa voted.", &["ZAF"]);
        assert_codes("Papua New Guinea and Guinea", &["PNG", "GIN"]);
        assert_codes("Guinea-Bissau's army", &["GNB"]);
        assert_codes("Equatorial Guinea", &["GNQ"]);
        assert_codes("Nigeria and Niger", &["NGA", "NER"]);
        assert_codes("Nigerian and Nigerien troops", &["NGA", "NER"]);
        assert_codes("the Dominican Republic and Dominica", &["DOM", "DMA"]);
        assert_codes("South Sudan and Sudan", &["SSD", "SDN"]);
        assert_codes("South Sudanese and Sudanese", &["SSD", "SDN"]);
        assert_codes("the Central African Republic", &["CAF"]);
        assert_codes("the People's Republic of China", &["CHN"]);
    }

    #[test]
    fn word_boundaries() {
        assert_codes("Indiana", &[]);
        assert_codes("a woman", &[]);
        assert_codes("Somalia and Somali troops", &["SOM", "SOM"]);
        assert_codes("Mali", &["MLI"]);
        assert_codes("Omani and Oman", &["OMN", "OMN"]);
        assert_codes("USAID", &[]);
        assert_codes("U.S.S.R.", &[]);
        assert_codes("Iranian and Iran", &["IRN", "IRN"]);
        assert_codes("G77", &[]);
        assert_codes("EU27", &[]);
        assert_codes("ÉJapan Japané", &[]);
    }

    #[test]
    fn possessives_and_hyphens() {
        assert_codes("Japan's and Japan’s", &["JPN", "JPN"]);
        assert_codes("Britain's", &["GBR"]);
        assert_codes("China-Russia ties", &["CHN", "RUS"]);
        assert_codes("US-Japan alliance", &["USA", "JPN"]);
        assert_codes("U.S.-led coalition", &["USA"]);
        assert_codes("the anti-Russian mood", &["RUS"]);
        assert_codes(
            "Sino-Russian and Sino-US relations",
            &["CHN", "RUS", "CHN", "USA"],
        );
        assert_codes("Sino Russo Franco", &[]);
        assert_codes("the Russo-Ukrainian war", &["RUS", "UKR"]);
        assert_codes("(Japan)", &["JPN"]);
        assert_codes("\"Japan\"", &["JPN"]);
    }

    #[test]
    fn case_rules() {
        assert_codes("JAPAN SANCTIONS RUSSIA", &["JPN", "RUS"]);
        assert_codes("THE KREMLIN SAID", &["RUS"]);
        assert_codes("The Kremlin said", &["RUS"]);
        assert_codes("japan", &[]);
        assert_codes("let us go", &[]);
        assert_codes("US and UK", &["USA", "GBR"]);
        assert_codes("Us and Uk", &[]);
        assert_codes("US OFFICIALS", &["USA"]);
        assert_codes("LET US KNOW. CONTACT US", &[]);
        // No all-caps variant for short forms: XI is a numeral.
        assert_codes("Xi met Pope Pius XI", &["CHN"]);
        assert_codes("ERDOGAN AND ERDOĞAN", &["TUR", "TUR"]);
        assert_codes("TÜRKIYE", &["TUR"]);
    }

    #[test]
    fn georgia_country_or_state() {
        assert_codes("Georgia applied to join the EU.", &["GEO", "EU"]);
        assert_codes(
            "Protests in Tbilisi as Georgia's government stalls",
            &["GEO", "GEO"],
        );
        assert_codes("Georgian Dream won in Georgia.", &["GEO", "GEO"]);
        assert_codes("Voters in Atlanta, Georgia, lined up.", &[]);
        assert_codes("Georgia's governor signed the bill.", &[]);
        assert_codes("the state of Georgia", &[]);
        assert_codes("the Georgia Senate race", &[]);
        assert_codes("the Georgia legislature", &[]);
        assert_codes("the Georgia primary", &[]);
        assert_codes("Georgia, U.S., is hot.", &["USA"]);
        assert_codes("Marietta, Ga. - Officials in Georgia said", &[]);
        assert_codes("Georgia Tech won", &[]);
        assert_codes("GEORGIA SENATE RACE", &[]);
        // Country cues win over state cues.
        assert_codes(
            "Georgia's governor? No: Tbilisi has a president.",
            &["GEO", "GEO"],
        );
        assert_codes("Georgia President Zourabichvili", &["GEO", "GEO"]);
    }

    #[test]
    fn georgian_adjective_keeps_the_country() {
        assert_codes(
            "The Georgian Legion fought; Georgian GDP rose",
            &["GEO", "GEO"],
        );
        assert_codes("Georgians in Atlanta voted", &[]);
    }

    #[test]
    fn rejected_candidate_does_not_hide_a_later_one() {
        assert_codes("in the Sudanese conflict", &["SDN"]);
        assert_codes("WE MUST TALK TO THE US", &["USA"]);
        assert_codes("the Congolese army", &["COD"]);
    }

    #[test]
    fn turkey_country_or_bird() {
        assert_codes("Turkey and Türkiye", &["TUR", "TUR"]);
        assert_codes("the Thanksgiving turkey", &[]);
        assert_codes("a turkey sandwich", &[]);
        assert_codes("Obama Pardons Thanksgiving Turkey", &["USA"]);
        assert_codes("Turkey Sandwich Recipes", &[]);
        assert_codes("Turkey, a NATO member, bought S-400s", &["TUR", "NATO"]);
        assert_codes("TURKEY DEFIES NATO", &["TUR", "NATO"]);
    }

    #[test]
    fn chad_and_jordan_as_names() {
        assert_codes("Chad Smith played drums.", &[]);
        assert_codes("Michael Jordan retired.", &[]);
        assert_codes("Jordan Peterson spoke.", &[]);
        assert_codes("Jordan Bardella of France", &["FRA"]);
        assert_codes("Chad and Jordan voted.", &["TCD", "JOR"]);
        assert_codes("Jordan's King Abdullah", &["JOR", "JOR"]);
        assert_codes("Jordan President? Jordan Foreign Minister", &["JOR", "JOR"]);
        assert_codes("the Jordan River", &[]);
        assert_codes("Lake Chad", &[]);
        assert_codes("Chad Thursday said", &["TCD"]);
        assert_codes("JORDAN SIGNS DEAL", &["JOR"]);
        assert_codes("MICHAEL JORDAN", &[]);
    }

    #[test]
    fn surnames_that_are_given_names() {
        assert_codes("Marcos said; Marcos Llorente scored", &["PHL"]);
        assert_codes("Marcos Jr. said", &["PHL"]);
        assert_codes(
            "Abbas met Abbas Araghchi; Abbas Kiarostami",
            &["PSE", "IRN"],
        );
        assert_codes("Oli resigned; Oli Sykes sang", &["NPL"]);
        assert_codes("Petro Poroshenko and Petro", &["UKR", "COL"]);
        assert_codes("Daniil Medvedev won; Medvedev warned", &["RUS"]);
    }

    #[test]
    fn us_dollar_is_not_a_mention() {
        assert_codes("a US$5 billion loan from the US", &["USA"]);
        assert_codes("an AU$2 billion deal; the AU summit", &["AU"]);
    }

    #[test]
    fn paris_and_sofia() {
        assert_codes("Paris rejected the plan.", &["FRA"]);
        assert_codes("Paris Hilton", &[]);
        assert_codes("the Paris Agreement and the Paris climate accord", &[]);
        assert_codes("Paris Saint-Germain", &[]);
        assert_codes("Sofia Coppola and Sofia", &["BGR"]);
    }

    #[test]
    fn washington() {
        assert_codes("Washington imposed sanctions.", &["USA"]);
        assert_codes("Washington, D.C., and Washington's allies", &["USA", "USA"]);
        assert_codes("George Washington crossed", &[]);
        assert_codes("in Washington state", &[]);
        assert_codes("Washington State University", &[]);
        assert_codes("the state of Washington", &[]);
        assert_codes("The Washington Post reported", &[]);
        assert_codes("the White House and the State Department", &["USA", "USA"]);
    }

    #[test]
    fn switches_follow_cues() {
        assert_codes("Brussels said", &["EU"]);
        assert_codes("Belgian police in Brussels", &["BEL", "BEL"]);
        assert_codes(
            "EU summit in Brussels; Belgian farmers",
            &["EU", "EU", "BEL"],
        );
        assert_codes("Dutch prime minister Mark Rutte", &["NLD", "NLD"]);
        assert_codes(
            "NATO chief Mark Rutte, a former Dutch premier",
            &["NATO", "NATO", "NLD"],
        );
        assert_codes("Rutte said", &["NATO"]);
        assert_codes("Estonian prime minister Kaja Kallas", &["EST", "EST"]);
        assert_codes("Kallas, the EU's foreign policy chief", &["EU", "EU"]);
        assert_codes("European Council President Donald Tusk", &["EU", "EU"]);
        assert_codes(
            "Polish Prime Minister Donald Tusk and the EU",
            &["POL", "POL", "EU"],
        );
        assert_codes("the late King Abdullah's court", &["SAU"]);
        assert_codes("King Abdullah of Jordan", &["JOR", "JOR"]);
    }

    #[test]
    fn handles_and_namesakes() {
        assert_codes("@Jim_Jordan and @JapanGov", &[]);
        assert_codes("Warsaw, Indiana and Warsaw", &["POL"]);
        assert_codes("the South Pole; a Pole", &["POL"]);
        assert_codes("African-Americans and Americans", &["USA"]);
        assert_codes("the Democratic Party of Georgia", &[]);
        assert_codes("Leila de Lima and De Lima; Lima", &["PER"]);
    }

    #[test]
    fn congo() {
        assert_codes("fighting in eastern Congo", &["COD"]);
        assert_codes("the Democratic Republic of the Congo", &["COD"]);
        assert_codes("DR Congo and the DRC", &["COD", "COD"]);
        assert_codes("the Republic of the Congo", &["COG"]);
        assert_codes("Congo Republic and Congo-Brazzaville", &["COG", "COG"]);
        assert_codes("In Brazzaville, Congo's president", &["COG", "COG"]);
        assert_codes("Congolese troops in Kinshasa", &["COD", "COD"]);
    }

    #[test]
    fn korea() {
        assert_codes("Korea", &["KOR"]);
        assert_codes("Korean and North Korean", &["KOR", "PRK"]);
        assert_codes("tension on the Korean Peninsula", &[]);
        assert_codes("inter-Korean talks", &[]);
        assert_codes("the two Koreas", &[]);
        assert_codes("Pyongyang and Seoul", &["PRK", "KOR"]);
    }

    #[test]
    fn america_and_europe() {
        assert_codes("America First", &["USA"]);
        assert_codes("Latin America and South America", &[]);
        assert_codes("Central America, North America", &[]);
        assert_codes("Americans and Latin Americans", &["USA"]);
        assert_codes("Europe and European leaders", &[]);
        assert_codes("the European Union and the EU", &["EU", "EU"]);
        assert_codes("the European Commission said", &["EU"]);
        assert_codes("Brussels said", &["EU"]);
    }

    #[test]
    fn demonyms_and_languages() {
        assert_codes("British and Britons", &["GBR", "GBR"]);
        assert_codes("English", &[]);
        assert_codes("Persian", &[]);
        assert_codes("Dutch and Holland", &["NLD", "NLD"]);
        assert_codes("Emirati officials", &["ARE"]);
        assert_codes("Indians and Indian", &["IND", "IND"]);
        assert_codes("the Indian Ocean", &[]);
        assert_codes("the Hague", &[]);
    }

    #[test]
    fn capitals_and_metonyms() {
        assert_codes("Moscow and the Kremlin", &["RUS", "RUS"]);
        assert_codes("Kyiv, Kiev", &["UKR", "UKR"]);
        assert_codes("Delhi and New Delhi", &["IND", "IND"]);
        assert_codes(
            "Beijing Tokyo Seoul Pyongyang Tehran Ankara Riyadh Abu Dhabi Brasília Pretoria",
            &[
                "CHN", "JPN", "KOR", "PRK", "IRN", "TUR", "SAU", "ARE", "BRA", "ZAF",
            ],
        );
        assert_codes("Downing Street and the Élysée", &["GBR", "FRA"]);
    }

    #[test]
    fn leaders() {
        assert_codes(
            "Putin and Lavrov met Zelensky and Zelenskyy",
            &["RUS", "RUS", "UKR", "UKR"],
        );
        assert_codes(
            "Modi, Erdogan, Erdoğan, Lula, Orbán, Orban",
            &["IND", "TUR", "TUR", "BRA", "HUN", "HUN"],
        );
        assert_codes("Fumio Kishida and Kishida", &["JPN", "JPN"]);
        let ms = g().find("Vladimir Putin");
        assert_eq!(ms.len(), 1);
        assert_eq!(ms.first().unwrap().form_type, FormType::Leader);
    }

    #[test]
    fn blocs() {
        assert_codes(
            "NATO, Nato, ASEAN, the African Union, G7, G-7, G20, BRICS, the Quad, AUKUS, the GCC, the SCO",
            &[
                "NATO", "NATO", "ASEAN", "AU", "G7", "G7", "G20", "BRICS", "QUAD", "AUKUS", "GCC",
                "SCO",
            ],
        );
        assert_codes(
            "the Gulf Cooperation Council and the Shanghai Cooperation Organisation",
            &["GCC", "SCO"],
        );
    }

    #[test]
    fn blockers_and_rules_apply_to_user_gazetteers() {
        let g = Gazetteer::from_tsv(
            "code\tkind\tform\ttype\tyears\tnote\n\
             USA\tcountry\tUnited States\tname\t\t\n\
             USA\tcountry\tAmerica\tshort\t\t\n\
             USA\tcountry\tWashington\tcapital\t\t\n\
             MYS\tcountry\tMalaysia\tname\t\t\n\
             MYS\tcountry\tMalaysia's\tshort\t\t\n"
                .as_bytes(),
            Source::Memory,
        )
        .unwrap();
        let t = "South America, George Washington, America, Malaysia’s";
        let got: Vec<&str> = g.find(t).iter().map(|m| m.text(t)).collect();
        assert_eq!(got, ["America", "Malaysia’s"]);
    }

    /// Every default form of the built-in file, alone, is found as its own entity over the
    /// whole text, also in all caps where that variant exists: no form is shadowed by a
    /// longer form, a blocker or a context rule.
    #[test]
    fn every_builtin_form_finds_itself() {
        let g = g();
        let mut failures = Vec::new();
        for f in g.forms().iter().filter(|f| !f.secondary) {
            // Hyphen-only prefixes need their hyphen.
            let text = if matches!(f.form.as_str(), "Sino" | "Russo" | "Franco") {
                format!("{}-", f.form)
            } else {
                f.form.clone()
            };
            let letters = f.form.chars().filter(|c| c.is_alphabetic()).count();
            let mut texts = vec![(text.clone(), true)];
            if letters >= MIN_UPPER_LETTERS && f.form.chars().any(char::is_lowercase) {
                // An explicit form wins over an all-caps variant (`NATO` over `Nato`), so the
                // form type may differ there.
                texts.push((text.to_uppercase(), false));
            }
            for (t, same_type) in texts {
                let ms = g.find(&t);
                let ok = matches!(ms.as_slice(), [m] if m.entity == f.entity
                    && m.start == 0
                    && m.end == t.trim_end_matches('-').len()
                    && (!same_type || m.form_type == f.form_type));
                if !ok {
                    failures.push(format!("{t:?} (line {}): {ms:?}", f.line));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} forms do not find themselves:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn empty_and_plain_text() {
        assert!(g().find("").is_empty());
        assert!(
            g().find("nothing to see here, no countries at all")
                .is_empty()
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(prev_word("Michael Jordan", 8), "Michael");
        assert_eq!(prev_word("Michael-Jordan", 8), "");
        assert_eq!(prev_word("Jordan", 0), "");
        assert_eq!(next_word("Jordan  Peterson.", 6), "Peterson");
        assert_eq!(next_word("Jordan, Peterson", 6), "");
        assert_eq!(word_after_possessive("Georgia’s governor", 7), "governor");
        assert_eq!(window("ééé", 2, 4, 1), "ééé");
        assert_eq!(next_word_end("MUST US", 1), 4);
        assert_eq!(next_word_end("the Sudanese", 0), 3);
        assert_eq!(next_word_end("Japanése", 0), 9);
        assert_eq!(next_word_end("é", 0), 2);
        let cues = CueSet::new(&["Atlanta", "Kemp", ", Ga."]).unwrap();
        assert!(cues.found_in("in ATLANTA today"));
        assert!(!cues.found_in("Kempinski"));
        assert!(cues.found_in("Marietta, Ga. x"));
        assert!(!CueSet::new(&[]).unwrap().found_in("anything"));
        assert_eq!(
            variants("the Kremlin's"),
            [
                ("the Kremlin’s".to_string(), false),
                ("the Kremlin's".to_string(), false),
                ("The Kremlin’s".to_string(), false),
                ("The Kremlin's".to_string(), false),
                ("THE KREMLIN’S".to_string(), true),
                ("THE KREMLIN'S".to_string(), true),
            ]
        );
        assert_eq!(variants("UK"), [("UK".to_string(), false)]);
    }
}
