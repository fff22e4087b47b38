//! The gazetteer: countries and blocs, and every surface form that names them.
//!
//! It is read from a tab-separated file (see the [module docs](super) for the format) by
//! [`Gazetteer::from_tsv`]; the file shipped with the crate is [`Gazetteer::builtin`].

use std::io::Read;
use std::path::PathBuf;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::matcher::{Matcher, Mention};
use crate::error::{Error, Position, Result, Source};

/// The header line every gazetteer file starts with (after any `#` comment lines).
pub const HEADER: [&str; 6] = ["code", "kind", "form", "type", "years", "note"];

/// A note starting with this word marks a secondary reading of a form that names several
/// entities (see the [module docs](super#ambiguous-forms)).
pub const AMBIGUOUS_MARK: &str = "ambiguous";

/// The gazetteer file built into the crate.
const BUILTIN_TSV: &str = include_str!("../../data/gazetteer.tsv");

/// The index of an entity in its [`Gazetteer`]: small, `Copy`, cheap to compare and hash.
///
/// An id is only meaningful for the gazetteer that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub(crate) u16);

impl EntityId {
    /// The position of the entity in [`Gazetteer::entities`] (file order of first appearance).
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// Whether an entity is a state or a bloc of states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    /// A state (UN member or observer, Taiwan, Kosovo).
    Country,
    /// A bloc or alliance of states (EU, NATO, BRICS, ...).
    Bloc,
}

impl EntityKind {
    /// The spelling used in the gazetteer file: `country` or `bloc`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Country => "country",
            EntityKind::Bloc => "bloc",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "country" => Some(EntityKind::Country),
            "bloc" => Some(EntityKind::Bloc),
            _ => None,
        }
    }
}

impl std::fmt::Display for EntityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of surface form a mention was found by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FormType {
    /// The name (`Japan`); the first `name` row of a code is the canonical name.
    Name,
    /// Another name or official/variant spelling (`Türkiye`, `Czechia`, `Burma`).
    Short,
    /// A demonym or adjective, including plural people forms (`Japanese`, `Britons`).
    Adjective,
    /// The capital (`Tokyo`), or for a bloc its seat (`Brussels`).
    Capital,
    /// A building or institution standing for the government (`the Kremlin`, `Downing Street`).
    Metonym,
    /// A head of state or government, a foreign minister, or a bloc's leader (`Modi`).
    Leader,
    /// An abbreviation (`UK`, `UAE`, `DPRK`).
    Abbrev,
}

impl FormType {
    /// All form types, in the order of the list above.
    pub const ALL: [FormType; 7] = [
        FormType::Name,
        FormType::Short,
        FormType::Adjective,
        FormType::Capital,
        FormType::Metonym,
        FormType::Leader,
        FormType::Abbrev,
    ];

    /// The spelling used in the gazetteer file (`name`, `short`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            FormType::Name => "name",
            FormType::Short => "short",
            FormType::Adjective => "adjective",
            FormType::Capital => "capital",
            FormType::Metonym => "metonym",
            FormType::Leader => "leader",
            FormType::Abbrev => "abbrev",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        FormType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl std::fmt::Display for FormType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A country or bloc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// ISO 3166-1 alpha-3 code for states (`JPN`; `XKX` for Kosovo), a short uppercase code for
    /// blocs (`EU`, `NATO`, `G7`).
    pub code: String,
    /// The canonical name: the first `name` row of the code (`Japan`, `European Union`).
    pub name: String,
    /// Country or bloc.
    pub kind: EntityKind,
}

/// Returned by [`Gazetteer::entity`] for an id that belongs to another gazetteer.
static UNKNOWN_ENTITY: Entity = Entity {
    code: String::new(),
    name: String::new(),
    kind: EntityKind::Country,
};

/// A span of years in office: `2014-2022` is `{ from: 2014, to: Some(2022) }`, `2021-` is
/// `{ from: 2021, to: None }` (still in office when the file was written), `2019` is one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// First year.
    pub from: u16,
    /// Last year, or `None` if open-ended.
    pub to: Option<u16>,
}

impl std::fmt::Display for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.to {
            Some(to) if to == self.from => write!(f, "{}", self.from),
            Some(to) => write!(f, "{}-{}", self.from, to),
            None => write!(f, "{}-", self.from),
        }
    }
}

/// One row of the gazetteer file: a surface form of an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormEntry {
    /// The entity the form names.
    pub entity: EntityId,
    /// The surface form, exactly as in the file.
    pub form: String,
    /// Its type.
    pub form_type: FormType,
    /// For leaders, the years in office (comma-separated terms in the file); empty otherwise.
    pub terms: Vec<Term>,
    /// Free text (for leaders, the role).
    pub note: String,
    /// `true` for a secondary reading of an ambiguous form (its note starts with
    /// [`AMBIGUOUS_MARK`]); the matcher and [`Gazetteer::lookup`] use the default reading.
    pub secondary: bool,
    /// The 1-based line of the row in the file.
    pub line: u64,
}

/// Countries and blocs with their surface forms, and a matcher that finds them in text.
///
/// Build one with [`Gazetteer::from_tsv`] or use the [built-in one](Gazetteer::builtin);
/// then [`find`](Gazetteer::find) mentions in raw text, or [`lookup`](Gazetteer::lookup) a
/// name or code (e.g. a CSV `target` column).
#[derive(Debug)]
pub struct Gazetteer {
    entities: Vec<Entity>,
    forms: Vec<FormEntry>,
    /// Lowercased name, code or form → entity (see [`Gazetteer::lookup`]).
    keys: FxHashMap<String, EntityId>,
    matcher: Matcher,
}

/// A parse error before the source is attached.
#[derive(Debug, Clone)]
struct ParseError {
    pos: Position,
    message: String,
}

impl ParseError {
    fn at(line: u64, column: Option<u64>, message: impl Into<String>) -> Self {
        ParseError {
            pos: Position {
                line,
                column,
                byte: None,
            },
            message: message.into(),
        }
    }

    fn into_error(self, source_name: Source) -> Error {
        Error::Gazetteer {
            source_name,
            pos: self.pos,
            message: self.message,
        }
    }
}

/// The column numbers of the fields, for error positions.
const COL_CODE: Option<u64> = Some(1);
const COL_KIND: Option<u64> = Some(2);
const COL_FORM: Option<u64> = Some(3);
const COL_TYPE: Option<u64> = Some(4);
const COL_YEARS: Option<u64> = Some(5);

impl Gazetteer {
    /// Reads a gazetteer from tab-separated text (format in the [module docs](super)).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if reading fails, [`Error::Utf8`] if the input is not UTF-8, and
    /// [`Error::Gazetteer`] naming the line (and field) for a missing or wrong header, a wrong
    /// number of fields, an unknown kind or type, a malformed code or years, a code declared
    /// with two kinds, a code without a `name` row, or a form listed for two codes without
    /// being marked ambiguous.
    // The size of `Error` is the crate's choice (src/error.rs); boxing it here alone would not help.
    #[allow(clippy::result_large_err)]
    pub fn from_tsv(mut reader: impl Read, source: Source) -> Result<Gazetteer> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(source.clone(), e))?;
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(e) => {
                let valid = e.valid_up_to();
                let before = bytes.get(..valid).unwrap_or_default();
                let line = 1 + before.iter().filter(|&&b| b == b'\n').count() as u64;
                return Err(Error::Utf8 {
                    source_name: source,
                    pos: Position {
                        line,
                        column: None,
                        byte: Some(valid as u64),
                    },
                });
            }
        };
        Self::parse(text).map_err(|e| e.into_error(source))
    }

    /// The gazetteer shipped with the crate (`data/gazetteer.tsv`), parsed once on first use.
    ///
    /// # Errors
    ///
    /// [`Error::Gazetteer`] if the built-in file is malformed. The crate's tests load it, so
    /// this does not happen in a released build.
    // The size of `Error` is the crate's choice (src/error.rs); boxing it here alone would not help.
    #[allow(clippy::result_large_err)]
    pub fn builtin() -> Result<&'static Gazetteer> {
        static BUILTIN: OnceLock<std::result::Result<Gazetteer, ParseError>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Self::parse(BUILTIN_TSV))
            .as_ref()
            .map_err(|e| {
                e.clone()
                    .into_error(Source::File(PathBuf::from("data/gazetteer.tsv")))
            })
    }

    fn parse(text: &str) -> std::result::Result<Gazetteer, ParseError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut builder = Builder::default();
        let mut header_seen = false;
        for (i, raw) in text.split('\n').enumerate() {
            let line_no = i as u64 + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if !header_seen {
                if fields != HEADER {
                    return Err(ParseError::at(
                        line_no,
                        None,
                        format!(
                            "expected the header '{}' (tab-separated), found '{}'",
                            HEADER.join("\\t"),
                            line.replace('\t', "\\t")
                        ),
                    ));
                }
                header_seen = true;
                continue;
            }
            let [code, kind, form, form_type, years, note] = fields.as_slice() else {
                return Err(ParseError::at(
                    line_no,
                    None,
                    format!(
                        "expected {} tab-separated fields ({}), found {}",
                        HEADER.len(),
                        HEADER.join(", "),
                        fields.len()
                    ),
                ));
            };
            builder.row(line_no, code, kind, form, form_type, years, note)?;
        }
        if !header_seen {
            return Err(ParseError::at(
                1,
                None,
                format!(
                    "no header: the file must start with '{}' (tab-separated)",
                    HEADER.join("\\t")
                ),
            ));
        }
        builder.finish()
    }

    /// The entity with this id. For an id from another gazetteer that is out of range, an
    /// entity with an empty code and name (use [`get`](Gazetteer::get) to tell).
    pub fn entity(&self, id: EntityId) -> &Entity {
        self.get(id).unwrap_or(&UNKNOWN_ENTITY)
    }

    /// The entity with this id, or `None` if the id is out of range (from another gazetteer).
    pub fn get(&self, id: EntityId) -> Option<&Entity> {
        self.entities.get(id.index())
    }

    /// All entities with their ids, in file order of first appearance.
    pub fn entities(&self) -> impl ExactSizeIterator<Item = (EntityId, &Entity)> + '_ {
        // `from_tsv` refuses more than `u16::MAX` entities, so the index always fits.
        self.entities
            .iter()
            .enumerate()
            .map(|(i, e)| (EntityId(u16::try_from(i).unwrap_or(u16::MAX)), e))
    }

    /// Every row of the file (including secondary readings of ambiguous forms), in file order.
    pub fn forms(&self) -> &[FormEntry] {
        &self.forms
    }

    /// Resolves a name, form or code, case-insensitively (`Japan`, `japan`, `JPN`, `Türkiye`,
    /// `the Kremlin`), ignoring surrounding whitespace and treating `’` as `'`.
    ///
    /// Canonical names and codes take precedence over other forms; an ambiguous form resolves
    /// to its default reading.
    pub fn lookup(&self, name: &str) -> Option<EntityId> {
        self.keys.get(&lookup_key(name)).copied()
    }

    /// Every mention of an entity in `text`, sorted by start offset (see the
    /// [module docs](super) for the matching rules).
    pub fn find(&self, text: &str) -> Vec<Mention> {
        self.matcher.find(text)
    }
}

/// The key [`Gazetteer::lookup`] uses: trimmed, `’` → `'`, Unicode-lowercased.
fn lookup_key(s: &str) -> String {
    s.trim().replace('\u{2019}', "'").to_lowercase()
}

/// Where a form was first seen, for duplicate checks.
#[derive(Debug, Clone, Copy)]
struct Seen {
    entity: EntityId,
    line: u64,
    secondary: bool,
}

#[derive(Debug, Default)]
struct Builder {
    entities: Vec<Entity>,
    /// Line of each entity's first row; whether it has a name row.
    first_line: Vec<u64>,
    has_name: Vec<bool>,
    by_code: FxHashMap<String, EntityId>,
    forms: Vec<FormEntry>,
    /// form → rows seen (one default reading at most).
    seen: FxHashMap<String, Vec<Seen>>,
}

impl Builder {
    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        line: u64,
        code: &str,
        kind: &str,
        form: &str,
        form_type: &str,
        years: &str,
        note: &str,
    ) -> std::result::Result<(), ParseError> {
        if !valid_code(code) {
            return Err(ParseError::at(
                line,
                COL_CODE,
                format!(
                    "invalid code '{code}': expected 2 to 8 uppercase ASCII letters or digits \
                     starting with a letter (e.g. JPN, EU, G7)"
                ),
            ));
        }
        let Some(kind) = EntityKind::parse(kind) else {
            return Err(ParseError::at(
                line,
                COL_KIND,
                format!("unknown kind '{kind}' (expected 'country' or 'bloc')"),
            ));
        };
        if form.is_empty() || form.trim() != form || !form.chars().any(char::is_alphanumeric) {
            return Err(ParseError::at(
                line,
                COL_FORM,
                format!(
                    "invalid form '{form}': it must contain a letter or digit and no \
                     leading or trailing spaces"
                ),
            ));
        }
        let Some(form_type) = FormType::parse(form_type) else {
            let expected: Vec<&str> = FormType::ALL.iter().map(|t| t.as_str()).collect();
            return Err(ParseError::at(
                line,
                COL_TYPE,
                format!(
                    "unknown type '{form_type}' (expected one of {})",
                    expected.join(", ")
                ),
            ));
        };
        let terms = parse_years(years).map_err(|m| ParseError::at(line, COL_YEARS, m))?;
        if !terms.is_empty() && form_type != FormType::Leader {
            return Err(ParseError::at(
                line,
                COL_YEARS,
                format!("years '{years}' given for a {form_type} form; only leaders have years"),
            ));
        }

        let entity = self.entity(line, code, kind)?;
        if form_type == FormType::Name
            && let Some(has) = self.has_name.get_mut(entity.index())
            && !*has
        {
            *has = true;
            if let Some(e) = self.entities.get_mut(entity.index()) {
                e.name = form.to_string();
            }
        }

        let secondary = note.starts_with(AMBIGUOUS_MARK);
        let rows = self.seen.entry(form.to_string()).or_default();
        for prev in rows.iter() {
            let prev_code = self
                .entities
                .get(prev.entity.index())
                .map_or("?", |e| e.code.as_str());
            if prev.entity == entity {
                return Err(ParseError::at(
                    line,
                    COL_FORM,
                    format!(
                        "form '{form}' is already listed for {code} on line {}",
                        prev.line
                    ),
                ));
            }
            if !secondary && !prev.secondary {
                return Err(ParseError::at(
                    line,
                    COL_FORM,
                    format!(
                        "duplicate form '{form}': it is already a form of {prev_code} (line {}); \
                         if it names both, start the note of the secondary reading with \
                         '{AMBIGUOUS_MARK}'",
                        prev.line
                    ),
                ));
            }
        }
        rows.push(Seen {
            entity,
            line,
            secondary,
        });
        self.forms.push(FormEntry {
            entity,
            form: form.to_string(),
            form_type,
            terms,
            note: note.to_string(),
            secondary,
            line,
        });
        Ok(())
    }

    /// The id for `code`, creating the entity on its first row.
    fn entity(
        &mut self,
        line: u64,
        code: &str,
        kind: EntityKind,
    ) -> std::result::Result<EntityId, ParseError> {
        if let Some(&id) = self.by_code.get(code) {
            let (known, first) = (
                self.entities.get(id.index()).map(|e| e.kind),
                self.first_line.get(id.index()).copied().unwrap_or(0),
            );
            if known != Some(kind) {
                return Err(ParseError::at(
                    line,
                    COL_KIND,
                    format!(
                        "{code} is declared as {} on line {first}, here as {kind}",
                        known.map_or("?", EntityKind::as_str)
                    ),
                ));
            }
            return Ok(id);
        }
        let Ok(index) = u16::try_from(self.entities.len()) else {
            return Err(ParseError::at(
                line,
                COL_CODE,
                format!("too many entities (at most {})", u16::MAX),
            ));
        };
        let id = EntityId(index);
        self.entities.push(Entity {
            code: code.to_string(),
            name: String::new(),
            kind,
        });
        self.first_line.push(line);
        self.has_name.push(false);
        self.by_code.insert(code.to_string(), id);
        Ok(id)
    }

    fn finish(self) -> std::result::Result<Gazetteer, ParseError> {
        for ((entity, &has), &line) in self
            .entities
            .iter()
            .zip(&self.has_name)
            .zip(&self.first_line)
        {
            if !has {
                return Err(ParseError::at(
                    line,
                    COL_CODE,
                    format!(
                        "{} has no 'name' row (its first name row is the canonical name)",
                        entity.code
                    ),
                ));
            }
        }
        // Every ambiguous form needs exactly one default reading; report the earliest line.
        let mut orphan: Option<(u64, &str)> = None;
        for (form, rows) in &self.seen {
            if rows.iter().all(|r| r.secondary) {
                let line = rows.iter().map(|r| r.line).min().unwrap_or(0);
                if orphan.is_none_or(|(l, _)| line < l) {
                    orphan = Some((line, form));
                }
            }
        }
        if let Some((line, form)) = orphan {
            return Err(ParseError::at(
                line,
                COL_FORM,
                format!(
                    "form '{form}' has only secondary readings (notes starting with \
                     '{AMBIGUOUS_MARK}'); exactly one of its rows must be the default"
                ),
            ));
        }

        let mut keys = FxHashMap::default();
        for (i, e) in self.entities.iter().enumerate() {
            let id = EntityId(u16::try_from(i).unwrap_or(u16::MAX));
            keys.entry(lookup_key(&e.name)).or_insert(id);
            keys.entry(lookup_key(&e.code)).or_insert(id);
        }
        for f in self.forms.iter().filter(|f| !f.secondary) {
            keys.entry(lookup_key(&f.form)).or_insert(f.entity);
        }

        let matcher =
            Matcher::build(&self.entities, &self.forms).map_err(|m| ParseError::at(1, None, m))?;
        Ok(Gazetteer {
            entities: self.entities,
            forms: self.forms,
            keys,
            matcher,
        })
    }
}

fn valid_code(code: &str) -> bool {
    (2..=8).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Parses `""`, `2014-2022`, `2021-`, `2019` and comma-separated lists of these.
fn parse_years(s: &str) -> std::result::Result<Vec<Term>, String> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    let year = |y: &str| -> std::result::Result<u16, String> {
        match y.parse::<u16>() {
            Ok(v) if y.len() == 4 && (1900..=2100).contains(&v) => Ok(v),
            _ => Err(format!(
                "invalid years '{s}': '{y}' is not a year (expected e.g. 2014-2022, 2021- or \
                 2017-2021,2025-)"
            )),
        }
    };
    let mut terms = Vec::new();
    for part in s.split(',') {
        let term = match part.split_once('-') {
            None => {
                let y = year(part)?;
                Term {
                    from: y,
                    to: Some(y),
                }
            }
            Some((from, "")) => Term {
                from: year(from)?,
                to: None,
            },
            Some((from, to)) => {
                let (from, to) = (year(from)?, year(to)?);
                if to < from {
                    return Err(format!("invalid years '{s}': {to} is before {from}"));
                }
                Term { from, to: Some(to) }
            }
        };
        terms.push(term);
    }
    Ok(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "code\tkind\tform\ttype\tyears\tnote\n";

    #[allow(clippy::result_large_err)]
    fn parse(body: &str) -> Result<Gazetteer> {
        Gazetteer::from_tsv(format!("{HEAD}{body}").as_bytes(), Source::Memory)
    }

    /// The (line, column, message) of a gazetteer error.
    fn err(body: &str) -> (u64, Option<u64>, String) {
        match parse(body) {
            Err(Error::Gazetteer { pos, message, .. }) => (pos.line, pos.column, message),
            other => panic!("expected a gazetteer error, got {other:?}"),
        }
    }

    fn builtin() -> &'static Gazetteer {
        Gazetteer::builtin().unwrap()
    }

    #[test]
    fn parses_rows_comments_blank_lines_and_crlf() {
        let g = Gazetteer::from_tsv(
            "# a comment\n\ncode\tkind\tform\ttype\tyears\tnote\r\n\
             JPN\tcountry\tJapan\tname\t\t\r\n\
             # another\n\
             JPN\tcountry\tJapanese\tadjective\t\t\n\
             JPN\tcountry\tFumio Kishida\tleader\t2021-2024\tprime minister\n"
                .as_bytes(),
            Source::Memory,
        )
        .unwrap();
        assert_eq!(g.entities().len(), 1);
        let id = g.lookup("Japan").unwrap();
        assert_eq!(g.entity(id).code, "JPN");
        assert_eq!(g.entity(id).name, "Japan");
        assert_eq!(g.entity(id).kind, EntityKind::Country);
        let kishida = g
            .forms()
            .iter()
            .find(|f| f.form == "Fumio Kishida")
            .unwrap();
        assert_eq!(kishida.line, 7);
        assert_eq!(
            kishida.terms,
            vec![Term {
                from: 2021,
                to: Some(2024)
            }]
        );
        assert_eq!(kishida.note, "prime minister");
        assert_eq!(kishida.form_type, FormType::Leader);
    }

    #[test]
    fn first_name_row_is_canonical() {
        let g = parse(
            "TUR\tcountry\tTürkiye\tshort\t\t\n\
             TUR\tcountry\tTurkey\tname\t\t\n\
             TUR\tcountry\tRepublic of Türkiye\tname\t\t\n",
        )
        .unwrap();
        let id = g.lookup("Türkiye").unwrap();
        assert_eq!(g.entity(id).name, "Turkey");
        assert_eq!(g.lookup("turkey"), Some(id));
    }

    #[test]
    fn lookup_is_case_insensitive_and_takes_codes() {
        let g = builtin();
        for q in [
            "Japan", "japan", "JAPAN", "JPN", "jpn", " Japan ", "Japanese", "Tokyo",
        ] {
            assert_eq!(
                g.lookup(q).map(|id| g.entity(id).code.as_str()),
                Some("JPN"),
                "{q}"
            );
        }
        for q in ["Türkiye", "türkiye", "TÜRKIYE", "Turkiye", "Turkey", "TUR"] {
            assert_eq!(
                g.lookup(q).map(|id| g.entity(id).code.as_str()),
                Some("TUR"),
                "{q}"
            );
        }
        for q in ["Côte d'Ivoire", "Côte d’Ivoire", "Ivory Coast", "CIV"] {
            assert_eq!(
                g.lookup(q).map(|id| g.entity(id).code.as_str()),
                Some("CIV"),
                "{q}"
            );
        }
        assert_eq!(
            g.lookup("the Kremlin").map(|id| g.entity(id).code.as_str()),
            Some("RUS")
        );
        assert_eq!(g.lookup("Atlantis"), None);
        assert_eq!(g.lookup(""), None);
    }

    #[test]
    fn wrong_header_is_reported_on_its_line() {
        let e = Gazetteer::from_tsv("# comment\ncode\tkind\tform\n".as_bytes(), Source::Memory);
        match e {
            Err(Error::Gazetteer { pos, message, .. }) => {
                assert_eq!(pos.line, 2);
                assert!(message.contains("expected the header"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let e = Gazetteer::from_tsv("# only comments\n".as_bytes(), Source::Memory);
        assert!(matches!(e, Err(Error::Gazetteer { pos, .. }) if pos.line == 1));
    }

    #[test]
    fn wrong_field_count_names_the_line() {
        let (line, col, msg) = err("JPN\tcountry\tJapan\tname\t\t\nJPN\tcountry\tTokyo\tcapital\n");
        assert_eq!((line, col), (3, None));
        assert!(
            msg.contains("expected 6 tab-separated fields") && msg.contains("found 4"),
            "{msg}"
        );
    }

    #[test]
    fn unknown_kind_and_type_name_the_field() {
        let (line, col, msg) = err("JPN\tstate\tJapan\tname\t\t\n");
        assert_eq!((line, col), (2, Some(2)));
        assert!(msg.contains("unknown kind 'state'"), "{msg}");
        let (line, col, msg) =
            err("JPN\tcountry\tJapan\tname\t\t\nJPN\tcountry\tNippon\tnickname\t\t\n");
        assert_eq!((line, col), (3, Some(4)));
        assert!(
            msg.contains("unknown type 'nickname'") && msg.contains("abbrev"),
            "{msg}"
        );
    }

    #[test]
    fn bad_code_form_and_years_are_rejected() {
        let (_, col, msg) = err("jpn\tcountry\tJapan\tname\t\t\n");
        assert_eq!(col, Some(1));
        assert!(msg.contains("invalid code 'jpn'"), "{msg}");
        let (_, col, _) = err("JPN\tcountry\t Japan\tname\t\t\n");
        assert_eq!(col, Some(3));
        let (_, col, _) = err("JPN\tcountry\t\tname\t\t\n");
        assert_eq!(col, Some(3));
        let (_, col, msg) =
            err("JPN\tcountry\tJapan\tname\t\t\nJPN\tcountry\tAbe\tleader\t2012-20x\t\n");
        assert_eq!(col, Some(5));
        assert!(msg.contains("20x"), "{msg}");
        let (_, _, msg) =
            err("JPN\tcountry\tJapan\tname\t\t\nJPN\tcountry\tAbe\tleader\t2020-2012\t\n");
        assert!(msg.contains("before"), "{msg}");
        let (_, col, msg) = err("JPN\tcountry\tJapan\tname\t2014-\t\n");
        assert_eq!(col, Some(5));
        assert!(msg.contains("only leaders"), "{msg}");
    }

    #[test]
    fn years_forms() {
        assert_eq!(parse_years("").unwrap(), vec![]);
        assert_eq!(
            parse_years("2017-2021,2025-").unwrap(),
            vec![
                Term {
                    from: 2017,
                    to: Some(2021)
                },
                Term {
                    from: 2025,
                    to: None
                }
            ]
        );
        assert_eq!(
            parse_years("2022").unwrap(),
            vec![Term {
                from: 2022,
                to: Some(2022)
            }]
        );
        let shown: Vec<String> = parse_years("2017-2021,2022,2025-")
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(shown, ["2017-2021", "2022", "2025-"]);
        assert!(parse_years("14-22").is_err());
        assert!(parse_years("2014--").is_err());
    }

    #[test]
    fn duplicate_form_for_two_codes_is_an_error() {
        let (line, col, msg) = err("BEL\tcountry\tBelgium\tname\t\t\n\
             BEL\tcountry\tBrussels\tcapital\t\t\n\
             EU\tbloc\tEuropean Union\tname\t\t\n\
             EU\tbloc\tBrussels\tcapital\t\t\n");
        assert_eq!((line, col), (5, Some(3)));
        assert!(
            msg.contains("'Brussels'") && msg.contains("BEL (line 3)"),
            "{msg}"
        );
    }

    #[test]
    fn duplicate_form_for_one_code_is_an_error() {
        let (line, _, msg) = err("JPN\tcountry\tJapan\tname\t\t\nJPN\tcountry\tJapan\tshort\t\t\n");
        assert_eq!(line, 3);
        assert!(msg.contains("already listed for JPN on line 2"), "{msg}");
    }

    #[test]
    fn ambiguous_forms_need_one_default_reading() {
        let g = parse(
            "EU\tbloc\tEuropean Union\tname\t\t\n\
             EU\tbloc\tBrussels\tcapital\t\t\n\
             BEL\tcountry\tBelgium\tname\t\t\n\
             BEL\tcountry\tBrussels\tcapital\t\tambiguous: the EU by default\n",
        )
        .unwrap();
        let eu = g.lookup("EU").unwrap();
        assert_eq!(g.lookup("Brussels"), Some(eu));
        assert_eq!(g.find("Brussels said").first().map(|m| m.entity), Some(eu));
        assert_eq!(g.forms().iter().filter(|f| f.form == "Brussels").count(), 2);
        assert!(
            g.forms()
                .iter()
                .any(|f| f.form == "Brussels" && f.secondary)
        );

        let (line, _, msg) = err("EU\tbloc\tEuropean Union\tname\t\t\n\
             EU\tbloc\tBrussels\tcapital\t\tambiguous\n");
        assert_eq!(line, 3);
        assert!(msg.contains("only secondary readings"), "{msg}");
    }

    #[test]
    fn kind_must_not_change_and_every_code_needs_a_name() {
        let (line, col, msg) =
            err("EU\tbloc\tEuropean Union\tname\t\t\nEU\tcountry\tEU\tabbrev\t\t\n");
        assert_eq!((line, col), (3, Some(2)));
        assert!(msg.contains("declared as bloc on line 2"), "{msg}");
        let (line, _, msg) =
            err("JPN\tcountry\tJapan\tname\t\t\nKOR\tcountry\tSeoul\tcapital\t\t\n");
        assert_eq!(line, 3);
        assert!(msg.contains("KOR has no 'name' row"), "{msg}");
    }

    #[test]
    fn invalid_utf8_is_reported_with_its_line() {
        let mut bytes = HEAD.as_bytes().to_vec();
        bytes.extend_from_slice(b"JPN\tcountry\tJap\xffan\tname\t\t\n");
        match Gazetteer::from_tsv(bytes.as_slice(), Source::Memory) {
            Err(Error::Utf8 { pos, .. }) => assert_eq!(pos.line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_name_the_source() {
        let e = Gazetteer::from_tsv(
            "code\tkind\n".as_bytes(),
            Source::File(PathBuf::from("my.tsv")),
        )
        .unwrap_err();
        assert!(
            e.to_string().starts_with("my.tsv: line 1: gazetteer: "),
            "{e}"
        );
    }

    #[test]
    fn builtin_loads_with_all_states_and_blocs() {
        let g = builtin();
        let countries = g
            .entities()
            .filter(|(_, e)| e.kind == EntityKind::Country)
            .count();
        assert!(countries >= 197, "only {countries} countries");
        let blocs: Vec<&str> = g
            .entities()
            .filter(|(_, e)| e.kind == EntityKind::Bloc)
            .map(|(_, e)| e.code.as_str())
            .collect();
        for code in [
            "EU", "NATO", "ASEAN", "AU", "G7", "G20", "BRICS", "QUAD", "AUKUS", "GCC", "SCO",
        ] {
            assert!(blocs.contains(&code), "missing bloc {code}");
        }
        for code in ["RUS", "UKR", "USA", "XKX", "PSE", "TWN", "VAT"] {
            assert!(g.lookup(code).is_some(), "missing {code}");
        }
        for (id, e) in g.entities() {
            assert_eq!(g.entity(id), e);
            if e.kind == EntityKind::Country {
                assert_eq!(e.code.len(), 3, "{}", e.code);
            }
        }
    }

    /// The canonical names other parts of the project use as labels.
    #[test]
    fn builtin_canonical_names_resolve() {
        let g = builtin();
        let names = [
            "United States",
            "United Kingdom",
            "China",
            "India",
            "Japan",
            "South Korea",
            "North Korea",
            "Taiwan",
            "Turkey",
            "Iran",
            "Israel",
            "Palestine",
            "Saudi Arabia",
            "United Arab Emirates",
            "Czech Republic",
            "North Macedonia",
            "Bosnia and Herzegovina",
            "Kosovo",
            "Moldova",
            "Georgia",
            "Belarus",
            "Ukraine",
            "Vietnam",
            "Laos",
            "Myanmar",
            "Timor-Leste",
            "Syria",
            "DR Congo",
            "Republic of the Congo",
            "Ivory Coast",
            "Eswatini",
            "Cape Verde",
            "Gambia",
            "Bahamas",
            "Holy See",
            "Micronesia",
            "Sao Tome and Principe",
            "European Union",
            "NATO",
            "ASEAN",
            "African Union",
            "G7",
            "G20",
            "BRICS",
            "Quad",
            "AUKUS",
            "Gulf Cooperation Council",
            "Shanghai Cooperation Organisation",
            "Russia",
        ];
        for name in names {
            let id = g
                .lookup(name)
                .unwrap_or_else(|| panic!("{name} does not resolve"));
            assert_eq!(g.entity(id).name, name, "{name} is not canonical");
            assert_eq!(g.lookup(&name.to_lowercase()), Some(id));
        }
        let shorts = [
            ("Czechia", "CZE"),
            ("Türkiye", "TUR"),
            ("Côte d'Ivoire", "CIV"),
            ("São Tomé and Príncipe", "STP"),
            ("Cabo Verde", "CPV"),
            ("Swaziland", "SWZ"),
            ("Burma", "MMR"),
            ("East Timor", "TLS"),
            ("Vatican", "VAT"),
            ("The Gambia", "GMB"),
            ("UK", "GBR"),
            ("U.S.", "USA"),
            ("DPRK", "PRK"),
        ];
        for (form, code) in shorts {
            let id = g
                .lookup(form)
                .unwrap_or_else(|| panic!("{form} does not resolve"));
            assert_eq!(g.entity(id).code, code, "{form}");
        }
    }

    #[test]
    fn builtin_rows_are_consistent() {
        let g = builtin();
        let mut codes: Vec<&str> = g.entities().map(|(_, e)| e.code.as_str()).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n);
        for f in g.forms() {
            if f.form_type == FormType::Leader {
                assert!(!f.terms.is_empty(), "leader {} has no years", f.form);
                assert!(!f.note.is_empty(), "leader {} has no role", f.form);
            }
            for t in &f.terms {
                assert!(
                    t.from >= 1950 && t.to.is_none_or(|to| to <= 2026),
                    "{} {t}",
                    f.form
                );
            }
            if !f.terms.is_empty() {
                assert!(
                    f.terms.iter().any(|t| t.to.is_none_or(|to| to >= 2014)),
                    "leader {} left office before 2014",
                    f.form
                );
            }
        }
        // Every state has at least a name and an adjective or capital.
        for (id, e) in g.entities() {
            let n = g.forms().iter().filter(|f| f.entity == id).count();
            assert!(n >= 2, "{} has only {n} forms", e.code);
        }
    }

    #[test]
    fn entity_id_from_elsewhere_does_not_panic() {
        let g = parse("JPN\tcountry\tJapan\tname\t\t\n").unwrap();
        let far = EntityId(500);
        assert_eq!(g.get(far), None);
        assert_eq!(g.entity(far).code, "");
    }

    #[test]
    fn gazetteer_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Gazetteer>();
        assert_send_sync::<&'static Gazetteer>();
    }
}
