//! Labeled CSV input.
//!
//! A header row is required. Columns (names configurable with [`Columns`]):
//!
//! | column | required | meaning |
//! | --- | --- | --- |
//! | `text` | yes | the sentence or document |
//! | `target` | no | the country or topic the labels are about |
//! | `stance` | one of the two | the stance label (any spelling: `FAVOR`, `against`, `2`) |
//! | `sentiment` | one of the two | the sentiment label |
//! | `target_start`, `target_end` | no | character offsets of the target mention (NewsMTSC style) |
//!
//! Other columns are ignored. A label column may be missing from the file, or empty on a row:
//! that row is then skipped for that head only. Quoted fields may hold newlines. Input is
//! streamed: [`CsvExamples`] yields one [`Example`] at a time, so evaluation runs in bounded
//! memory on files of any length.

use std::io::Read;

use crate::error::{Error, Position, Result, Source};
use crate::input::{MAX_TEXT_BYTES, Utf8Reader, io_error, limit_message};

/// The largest text of one labeled row ([`read_all`], and `evaluate` in the command-line
/// tool): 1 MiB. Labeled rows are sentences or short documents, and the analyzer holds a
/// row's words and terms in memory (tens of bytes per byte of text), so a longer one is
/// [`Error::Limit`]. Articles to classify may be longer ([`MAX_TEXT_BYTES`]).
pub const MAX_ROW_TEXT_BYTES: usize = 1 << 20;

/// The heads geostance trains and evaluates, in output order.
pub const HEADS: [&str; 2] = ["stance", "sentiment"];

/// Column names to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// Text column.
    pub text: String,
    /// Target column.
    pub target: String,
    /// Stance label column.
    pub stance: String,
    /// Sentiment label column.
    pub sentiment: String,
    /// Start of the target mention, in characters.
    pub target_start: String,
    /// End of the target mention (exclusive), in characters.
    pub target_end: String,
    /// A column grouping rows that must stay on the same side of a split (e.g. `passage`).
    pub group: Option<String>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            text: "text".into(),
            target: "target".into(),
            stance: "stance".into(),
            sentiment: "sentiment".into(),
            target_start: "target_start".into(),
            target_end: "target_end".into(),
            group: None,
        }
    }
}

/// One labeled row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The text.
    pub text: String,
    /// The target, if the file has a target column and the row a non-empty value.
    pub target: Option<String>,
    /// Byte span of the target mention, from the offset columns.
    pub span: Option<(usize, usize)>,
    /// Labels per head, in [`HEADS`] order (`None`: missing or empty).
    pub labels: [Option<String>; 2],
    /// The group (from [`Columns::group`]), if any.
    pub group: Option<String>,
    /// The 1-based line the record starts on.
    pub line: u64,
}

impl Example {
    /// The label of head `h` (an index into [`HEADS`]).
    pub fn label(&self, h: usize) -> Option<&str> {
        self.labels.get(h).and_then(|l| l.as_deref())
    }
}

/// Which columns a file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    text: usize,
    target: Option<usize>,
    heads: [Option<usize>; 2],
    start: Option<usize>,
    end: Option<usize>,
    group: Option<usize>,
}

/// A streaming reader of [`Example`]s from one CSV input.
pub struct CsvExamples<R: Read> {
    reader: csv::Reader<Utf8Reader<R>>,
    layout: Layout,
    source: Source,
    record: csv::StringRecord,
    done: bool,
    max_text: usize,
}

impl<R: Read> std::fmt::Debug for CsvExamples<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvExamples")
            .field("source", &self.source)
            .finish()
    }
}

/// The flag that renames a column, for error messages.
fn flag_for(column: &str) -> String {
    format!("--{column}-col")
}

impl<R: Read> CsvExamples<R> {
    /// Reads the header and checks the columns.
    ///
    /// # Errors
    /// [`Error::Empty`] for an empty input, [`Error::MissingColumn`] when the text column or both
    /// label columns are absent (when `need_label`), [`Error::Csv`] / [`Error::Utf8`] for bad bytes.
    pub fn new(reader: R, source: Source, cols: &Columns, need_label: bool) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(Utf8Reader::new(reader));
        let headers = reader.headers().map_err(|e| csv_error(&source, e))?.clone();
        if headers.is_empty() || (headers.len() == 1 && headers.get(0) == Some("")) {
            return Err(Error::Empty {
                source_name: source,
                what: "the file is empty: expected a CSV header such as `text,target,stance,sentiment`".into(),
            });
        }
        let find = |name: &str| headers.iter().position(|h| h.trim() == name);
        let available = headers.iter().collect::<Vec<_>>().join(",");
        let text = find(&cols.text).ok_or_else(|| Error::MissingColumn {
            source_name: source.clone(),
            column: cols.text.clone(),
            available: available.clone(),
            flag: flag_for("text"),
        })?;
        let heads = [find(&cols.stance), find(&cols.sentiment)];
        if need_label && heads.iter().all(Option::is_none) {
            return Err(Error::MissingColumn {
                source_name: source,
                column: format!("{}' or '{}", cols.stance, cols.sentiment),
                available,
                flag: "--stance-col / --sentiment-col".into(),
            });
        }
        let layout = Layout {
            text,
            target: find(&cols.target),
            heads,
            start: find(&cols.target_start),
            end: find(&cols.target_end),
            group: match &cols.group {
                Some(g) => Some(find(g).ok_or_else(|| Error::MissingColumn {
                    source_name: source.clone(),
                    column: g.clone(),
                    available: available.clone(),
                    flag: "--group-col".into(),
                })?),
                None => None,
            },
        };
        Ok(CsvExamples {
            reader,
            layout,
            source,
            record: csv::StringRecord::new(),
            done: false,
            max_text: MAX_TEXT_BYTES,
        })
    }

    /// Sets the largest text a row may hold (default [`MAX_TEXT_BYTES`]); a longer one is
    /// [`Error::Limit`] naming its line. The whole record is read before the check.
    pub fn max_text_bytes(mut self, limit: usize) -> Self {
        self.max_text = limit;
        self
    }

    /// Which heads have a column in this file, in [`HEADS`] order.
    pub fn heads_present(&self) -> [bool; 2] {
        [
            self.layout.heads[0].is_some(),
            self.layout.heads[1].is_some(),
        ]
    }

    /// Whether the file has a target column.
    pub fn has_target(&self) -> bool {
        self.layout.target.is_some()
    }

    /// The source being read.
    pub fn source(&self) -> &Source {
        &self.source
    }

    fn convert(&self) -> Result<Example> {
        let r = &self.record;
        let line = r.position().map_or(0, |p| p.line());
        let get = |i: Option<usize>| {
            i.and_then(|i| r.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let text = r.get(self.layout.text).unwrap_or("");
        if text.len() > self.max_text {
            return Err(Error::Limit {
                source_name: self.source.clone(),
                what: format!(
                    "line {line}, column {}: {}",
                    self.layout.text + 1,
                    limit_message(self.max_text)
                ),
            });
        }
        let text = text.to_string();
        let target = get(self.layout.target).map(str::to_string);
        let labels = [
            get(self.layout.heads[0]).map(str::to_string),
            get(self.layout.heads[1]).map(str::to_string),
        ];
        let span = match (get(self.layout.start), get(self.layout.end)) {
            (Some(a), Some(b)) => Some(self.char_span(&text, a, b, line)?),
            _ => None,
        };
        let group = get(self.layout.group).map(str::to_string);
        Ok(Example {
            text,
            target,
            span,
            labels,
            group,
            line,
        })
    }

    /// Converts character offsets to a byte span, checking them.
    fn char_span(&self, text: &str, a: &str, b: &str, line: u64) -> Result<(usize, usize)> {
        let bad = |what: String| Error::Csv {
            source_name: self.source.clone(),
            pos: Position {
                line,
                column: self.layout.start.map(|c| c as u64 + 1),
                byte: None,
            },
            message: what,
        };
        let parse = |s: &str| {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0 && v.fract() == 0.0)
                .map(|v| v as usize)
        };
        let (Some(a), Some(b)) = (parse(a), parse(b)) else {
            return Err(bad(format!(
                "target offsets '{a}', '{b}' are not whole numbers"
            )));
        };
        let n_chars = text.chars().count();
        if a > b || b > n_chars {
            return Err(bad(format!(
                "target offsets {a}..{b} do not fit the text ({n_chars} characters)"
            )));
        }
        let byte_at = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(i, _)| i);
        Ok((byte_at(a), byte_at(b)))
    }
}

impl<R: Read> Iterator for CsvExamples<R> {
    type Item = Result<Example>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.reader.read_record(&mut self.record) {
            Ok(true) => Some(self.convert()),
            Ok(false) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(csv_error(&self.source, e)))
            }
        }
    }
}

/// Maps a csv error to ours, with the position.
fn csv_error(source: &Source, e: csv::Error) -> Error {
    let pos_of = |p: Option<&csv::Position>| Position {
        line: p.map_or(0, csv::Position::line),
        column: None,
        byte: p.map(csv::Position::byte),
    };
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io_error(source, io),
        csv::ErrorKind::Utf8 { pos, err } => Error::Utf8 {
            source_name: source.clone(),
            pos: Position {
                column: Some(err.field() as u64 + 1),
                ..pos_of(pos.as_ref())
            },
        },
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => Error::Csv {
            source_name: source.clone(),
            // The column is the first field that is missing or extra.
            pos: Position {
                column: Some(len.min(expected_len) + 1),
                ..pos_of(pos.as_ref())
            },
            message: format!("expected {expected_len} fields like the header, found {len}"),
        },
        other => Error::Csv {
            source_name: source.clone(),
            pos: Position::default(),
            message: format!("{other:?}"),
        },
    }
}

/// Reads every example of one input into memory.
///
/// # Errors
/// As [`CsvExamples::new`] and its items; [`Error::Empty`] when there are no data rows;
/// [`Error::Limit`] for a text over [`MAX_ROW_TEXT_BYTES`].
pub fn read_all(
    reader: impl Read,
    source: Source,
    cols: &Columns,
) -> Result<(Vec<Example>, [bool; 2], bool)> {
    let it =
        CsvExamples::new(reader, source.clone(), cols, true)?.max_text_bytes(MAX_ROW_TEXT_BYTES);
    let heads = it.heads_present();
    let has_target = it.has_target();
    let rows = it.collect::<Result<Vec<_>>>()?;
    if rows.is_empty() {
        return Err(Error::Empty {
            source_name: source,
            what: "the file has a header but no rows".into(),
        });
    }
    Ok((rows, heads, has_target))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Result<(Vec<Example>, [bool; 2], bool)> {
        read_all(s.as_bytes(), Source::Memory, &Columns::default())
    }

    #[test]
    fn reads_rows_with_optional_columns_and_newlines() {
        let (rows, heads, has_target) = read(
            "id,text,target,stance\n1,\"Japan, in a statement,\nsanctioned Russia\",Japan,against\n2,No label,India,\n",
        )
        .unwrap();
        assert_eq!(heads, [true, false]);
        assert!(has_target);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].text, "Japan, in a statement,\nsanctioned Russia");
        assert_eq!(rows[0].label(0), Some("against"));
        assert_eq!(rows[1].label(0), None);
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let e = read("text,stance\na,b\nc\n").unwrap_err().to_string();
        assert!(
            e.contains("line 3") && e.contains("expected 2 fields"),
            "{e}"
        );
        let e = read("body,stance\na,b\n").unwrap_err().to_string();
        assert!(
            e.contains("'text' not found") && e.contains("body,stance") && e.contains("--text-col"),
            "{e}"
        );
        let e = read("text,other\na,b\n").unwrap_err().to_string();
        assert!(e.contains("stance"), "{e}");
        let e = read("").unwrap_err().to_string();
        assert!(e.contains("empty"), "{e}");
        let e = read("text,stance\n").unwrap_err().to_string();
        assert!(e.contains("no rows"), "{e}");
        let mut bad = b"text,stance\nok,a\nb".to_vec();
        bad.push(0xC3);
        bad.extend_from_slice(b"(,x\n");
        let e = read_all(&bad[..], Source::Memory, &Columns::default()).unwrap_err();
        match e {
            Error::Utf8 { pos, .. } => {
                assert_eq!(pos.line, 3);
                assert_eq!(pos.byte, Some(18));
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn a_text_over_the_limit_names_its_line_and_column() {
        let mut csv = String::from("id,text,stance\n1,short,favor\n2,");
        csv.push_str(&"x".repeat(MAX_ROW_TEXT_BYTES + 1));
        csv.push_str(",favor\n");
        let e = read(&csv).unwrap_err();
        assert!(matches!(e, Error::Limit { .. }), "{e:?}");
        let e = e.to_string();
        assert!(e.contains("line 3, column 2") && e.contains("1 MiB"), "{e}");
        let it =
            CsvExamples::new(csv.as_bytes(), Source::Memory, &Columns::default(), true).unwrap();
        assert_eq!(it.filter(Result::is_ok).count(), 2);
    }

    #[test]
    fn character_offsets_become_byte_spans() {
        let (rows, ..) = read("text,target,sentiment,target_start,target_end\n\"Kyiv’s mayor Klitschko\",Klitschko,4.0,13,22\n").unwrap();
        let (a, b) = rows[0].span.unwrap();
        assert_eq!(&rows[0].text[a..b], "Klitschko");
        let e = read("text,target,sentiment,target_start,target_end\nabc,x,1,2,9\n").unwrap_err();
        assert!(e.to_string().contains("do not fit"), "{e}");
    }
}
