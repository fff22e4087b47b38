//! `classify` and `countries`: reading articles (files, folders, stdin; text, JSON Lines, CSV),
//! classifying them in bounded batches across all cores, and printing in input order.

use std::fs;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::args::{ClassifyArgs, CountriesArgs, InputFormat, OutputFormat, ReportFormat};
use super::{load_model, open};
use geostance::article::{Article, ArticleResult, ClassifyOptions, classify_all};
use geostance::countries::Gazetteer;
use geostance::input::{
    MAX_TEXT_BYTES, Utf8Reader, io_error, limit_message, read_to_string_limited,
};
use geostance::{Error, Position, Source};

/// Articles per parallel batch: memory stays bounded on endless input.
const BATCH: usize = 64;
/// Text bytes per batch: memory stays bounded on long articles too.
const BATCH_BYTES: usize = 64 << 20;

/// A source of articles, read lazily.
type ArticleIter = Box<dyn Iterator<Item = Result<Article>>>;

pub(crate) fn classify(a: ClassifyArgs) -> Result<()> {
    if let Some(t) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t.get())
            .build_global()
            .ok();
    }
    let model = load_model(a.model.as_deref())?;
    let gazetteer = Gazetteer::builtin()?;
    let format = a.format.unwrap_or(if io::stdout().is_terminal() {
        OutputFormat::Table
    } else {
        OutputFormat::Json
    });
    let opts = ClassifyOptions {
        evidence: a.evidence,
        explain: if a.explain { 8 } else { 0 },
    };
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        a.paths.clone()
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let width = terminal_size::terminal_size()
        .map_or(100, |(w, _)| usize::from(w.0))
        .max(60);
    if format == OutputFormat::Csv {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "id",
            "country",
            "iso3",
            "mentions",
            "stance",
            "stance_confidence",
            "sentiment",
            "sentiment_confidence",
            "evidence",
        ])?;
        out.write_all(&w.into_inner()?)?;
    }
    for path in &paths {
        let articles = articles(path, &a)?;
        let mut batch: Vec<Article> = Vec::with_capacity(BATCH);
        let mut iter = articles.peekable();
        while iter.peek().is_some() {
            batch.clear();
            let mut failure = None;
            let mut bytes = 0;
            while batch.len() < BATCH && bytes < BATCH_BYTES {
                match iter.next() {
                    Some(Ok(article)) => {
                        bytes += article.text.len();
                        batch.push(article);
                    }
                    Some(Err(e)) => {
                        failure = Some(e);
                        break;
                    }
                    None => break,
                }
            }
            for r in classify_all(&model, gazetteer, &batch, &opts) {
                match format {
                    OutputFormat::Json => {
                        serde_json::to_writer(&mut out, &r)?;
                        out.write_all(b"\n")?;
                    }
                    OutputFormat::Table => out.write_all(table(&r, width).as_bytes())?,
                    OutputFormat::Csv => out.write_all(&csv_rows(&r)?)?,
                }
            }
            out.flush()?;
            if let Some(e) = failure {
                return Err(e);
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// One CSV row per country of an article.
fn csv_rows(r: &ArticleResult) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for c in &r.countries {
        let (sl, sc) = c
            .stance
            .as_ref()
            .map_or((String::new(), String::new()), |h| {
                (h.label.clone(), format!("{:.3}", h.confidence))
            });
        let (tl, tc) = c
            .sentiment
            .as_ref()
            .map_or((String::new(), String::new()), |h| {
                (h.label.clone(), format!("{:.3}", h.confidence))
            });
        let ev = c.evidence.first().map_or("", |e| e.sentence.as_str());
        w.write_record([
            r.id.as_str(),
            &c.country,
            &c.iso3,
            &c.mentions.to_string(),
            &sl,
            &sc,
            &tl,
            &tc,
            ev,
        ])?;
    }
    Ok(w.into_inner()?)
}

/// A readable table for one article, cut to `width` columns.
fn table(r: &ArticleResult, width: usize) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "== {} ({} countries) ==", r.id, r.countries.len());
    if r.countries.is_empty() {
        s.push_str("(no country mentioned)\n\n");
        return s;
    }
    let name_w = r
        .countries
        .iter()
        .map(|c| c.country.chars().count())
        .max()
        .unwrap_or(7)
        .clamp(7, 28);
    let _ = writeln!(
        s,
        "{:<name_w$} {:<4} {:<8} {:>5} {:<9} {:>5} {:>4}  evidence",
        "country", "iso3", "stance", "conf", "sentiment", "conf", "n"
    );
    for c in &r.countries {
        let (sl, sc) = c
            .stance
            .as_ref()
            .map_or(("-".to_string(), "-".to_string()), |h| {
                (h.label.clone(), format!("{:.2}", h.confidence))
            });
        let (tl, tc) = c
            .sentiment
            .as_ref()
            .map_or(("-".to_string(), "-".to_string()), |h| {
                (h.label.clone(), format!("{:.2}", h.confidence))
            });
        let mut line = String::new();
        let name: String = c.country.chars().take(name_w).collect();
        let _ = write!(
            line,
            "{:<name_w$} {:<4} {:<8} {:>5} {:<9} {:>5} {:>4}  ",
            name, c.iso3, sl, sc, tl, tc, c.mentions
        );
        let room = width.saturating_sub(line.chars().count());
        let ev = c
            .evidence
            .first()
            .map_or("", |e| e.sentence.as_str())
            .replace(['\n', '\r', '\t'], " ");
        if ev.chars().count() > room {
            line.extend(ev.chars().take(room.saturating_sub(1)));
            line.push('…');
        } else {
            line.push_str(&ev);
        }
        let _ = writeln!(s, "{line}");
        if !c.explain.is_empty() {
            let pushes: Vec<String> = c
                .explain
                .iter()
                .map(|p| format!("{} ({:+.3})", p.feature, p.weight))
                .collect();
            let _ = writeln!(s, "{:<name_w$}   pushed by: {}", "", pushes.join(", "));
        }
    }
    s.push('\n');
    s
}

/// The articles of one command-line path.
fn articles(path: &Path, a: &ClassifyArgs) -> Result<ArticleIter> {
    if path.as_os_str() != "-" && path.is_dir() {
        if a.input != InputFormat::Text {
            bail!(
                "{}: a folder can only hold plain-text articles (--input text)",
                path.display()
            );
        }
        let mut files = Vec::new();
        collect_txt(path, &mut files)?;
        files.sort();
        return Ok(Box::new(files.into_iter().map(|f| {
            let (reader, source) = open(&f)?;
            let text = read_to_string_limited(reader, &source, MAX_TEXT_BYTES)?;
            Ok(Article {
                id: f.display().to_string(),
                text,
            })
        })));
    }
    let (reader, source) = open(path)?;
    match a.input {
        InputFormat::Text => {
            let text = read_to_string_limited(reader, &source, MAX_TEXT_BYTES)?;
            let id = if path.as_os_str() == "-" {
                "-".to_string()
            } else {
                path.display().to_string()
            };
            Ok(Box::new(std::iter::once(Ok(Article { id, text }))))
        }
        InputFormat::Jsonl => Ok(Box::new(jsonl(
            reader,
            source,
            a.id_field.clone(),
            a.text_field.clone(),
        ))),
        InputFormat::Csv => csv_articles(reader, source, &a.id_field, &a.text_field),
    }
}

/// The `.txt` files under `dir`, recursively. A folder reached twice (through a symbolic link
/// that loops back) is read once: a loop used to repeat every file until paths grew too long.
fn collect_txt(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    collect_txt_in(dir, out, &mut seen)
}

fn collect_txt_in(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut std::collections::HashSet<PathBuf>,
) -> Result<()> {
    let real = fs::canonicalize(dir)
        .with_context(|| format!("{}: cannot read the folder", dir.display()))?;
    if !seen.insert(real) {
        return Ok(());
    }
    let entries =
        fs::read_dir(dir).with_context(|| format!("{}: cannot read the folder", dir.display()))?;
    for e in entries {
        let p = e?.path();
        if p.is_dir() {
            collect_txt_in(&p, out, seen)?;
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
    Ok(())
}

/// JSON Lines: one object per line with an id and a text field; blank lines are skipped.
/// Lines are read one at a time and may be at most [`MAX_TEXT_BYTES`] long.
fn jsonl(
    reader: Box<dyn Read>,
    source: Source,
    id_field: String,
    text_field: String,
) -> impl Iterator<Item = Result<Article>> {
    let mut input = BufReader::new(Utf8Reader::new(reader));
    let mut buf: Vec<u8> = Vec::new();
    let mut n = 0u64;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        loop {
            n += 1;
            let at = |column: Option<u64>| Position {
                line: n,
                column,
                byte: None,
            };
            buf.clear();
            match (&mut input)
                .take(MAX_TEXT_BYTES as u64 + 1)
                .read_until(b'\n', &mut buf)
            {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    done = true;
                    return Some(Err(io_error(&source, e).into()));
                }
            }
            if buf.last() == Some(&b'\n') {
                buf.pop();
                if buf.last() == Some(&b'\r') {
                    buf.pop();
                }
            } else if buf.len() > MAX_TEXT_BYTES {
                done = true;
                return Some(Err(Error::Limit {
                    source_name: source.clone(),
                    what: format!("line {n}: {}", limit_message(MAX_TEXT_BYTES)),
                }
                .into()));
            }
            // The reader checked UTF-8 already; this only fails if it did not.
            let Ok(line) = std::str::from_utf8(&buf) else {
                done = true;
                return Some(Err(Error::Utf8 {
                    source_name: source.clone(),
                    pos: at(None),
                }
                .into()));
            };
            if line.trim().is_empty() {
                continue;
            }
            let bad = |column: Option<u64>, message: String| -> anyhow::Error {
                Error::Json {
                    source_name: source.clone(),
                    pos: at(column),
                    message,
                }
                .into()
            };
            let v: serde_json::Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => {
                    done = true;
                    // serde_json counts lines within this one line; the position is ours.
                    let full = e.to_string();
                    let what = full
                        .rsplit_once(" at line ")
                        .map_or(full.as_str(), |(w, _)| w);
                    return Some(Err(bad(
                        Some(e.column() as u64),
                        format!(
                            "{what} (expected one object like {{\"{id_field}\": ..., \"{text_field}\": ...}} per line)"
                        ),
                    )));
                }
            };
            let text = match v.get(&text_field).and_then(|t| t.as_str()) {
                Some(t) => t.to_string(),
                None => {
                    done = true;
                    return Some(Err(bad(
                        None,
                        format!("no string field '{text_field}' (rename it with --text-field)"),
                    )));
                }
            };
            let id = match v.get(&id_field) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Null) | None => n.to_string(),
                Some(other) => other.to_string(),
            };
            return Some(Ok(Article { id, text }));
        }
    })
}

/// CSV with id and text columns, streamed.
fn csv_articles(
    reader: Box<dyn Read>,
    source: Source,
    id_field: &str,
    text_field: &str,
) -> Result<ArticleIter> {
    let cols = geostance::dataset::Columns {
        text: text_field.to_string(),
        target: id_field.to_string(),
        ..Default::default()
    };
    let it = geostance::dataset::CsvExamples::new(reader, source, &cols, false)?;
    let has_id = it.has_target();
    Ok(Box::new(it.map(move |r| {
        let e = r?;
        let id = if has_id {
            e.target.clone().unwrap_or_default()
        } else {
            e.line.to_string()
        };
        Ok(Article { id, text: e.text })
    })))
}

pub(crate) fn countries(a: CountriesArgs) -> Result<()> {
    let path = a.path.unwrap_or_else(|| PathBuf::from("-"));
    let (reader, source) = open(&path)?;
    let text = read_to_string_limited(reader, &source, MAX_TEXT_BYTES)?;
    let g = Gazetteer::builtin()?;
    let mut out = BufWriter::new(io::stdout().lock());
    let mentions = g.find(&text);
    match a.format {
        ReportFormat::Json => {
            for m in &mentions {
                let e = g.get(m.entity);
                let v = serde_json::json!({
                    "country": e.map(|e| e.name.as_str()),
                    "iso3": e.map(|e| e.code.as_str()),
                    "form": text.get(m.start..m.end),
                    "start": m.start,
                    "end": m.end,
                });
                writeln!(out, "{v}")?;
            }
        }
        ReportFormat::Table => {
            writeln!(
                out,
                "{:>8} {:>8}  {:<5} {:<28} form",
                "start", "end", "iso3", "country"
            )?;
            for m in &mentions {
                let e = g.get(m.entity);
                writeln!(
                    out,
                    "{:>8} {:>8}  {:<5} {:<28} {}",
                    m.start,
                    m.end,
                    e.map_or("", |e| e.code.as_str()),
                    e.map_or("", |e| e.name.as_str()),
                    text.get(m.start..m.end).unwrap_or("")
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
