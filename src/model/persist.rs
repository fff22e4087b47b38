//! The model file: one JSON document (gzipped when the name ends in `.gz`), versioned.
//!
//! ```text
//! {
//!   "format": "geostance-model",      // checked on load
//!   "version": 1,                      // checked on load
//!   "geostance": "0.1.0",              // the version that wrote it
//!   "training": { data, rows, seed, target_mode, estimator, ... },
//!   "features": { params, n_docs, terms: [...by frequency...], idf: [...] },
//!   "heads": { "sentiment": { labels, model: { kind, n_features, n_classes, weights, bias }, ... },
//!              "stance": { ... } }
//! }
//! ```
//!
//! Saving writes to a temporary file in the destination's folder and renames it over the
//! destination, so a failed or killed run never leaves a partial model, and an earlier model at
//! that path survives until the new one is whole. Two runs writing the same path leave one of
//! the two whole models. A run killed (SIGKILL) during that final write can leave its
//! temporary file (`.geostance-XXXXXX.tmp`) behind; [`remove_stale_temp_files`] cleans those
//! up (`geostance train` calls it for files older than an hour). The bytes depend only on the model: maps are
//! sorted, floats are printed in their shortest round-trip form and the gzip header carries no
//! time stamp.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Classifier, Head, TrainingInfo};
use crate::error::{Error, Result, Source};
use crate::features::{Vectorizer, VectorizerFile};

/// The format name in every model file.
pub const FORMAT: &str = "geostance-model";
/// The model-file version this build reads and writes.
pub const VERSION: u64 = 1;

#[derive(Serialize, Deserialize)]
struct ModelFile {
    format: String,
    version: u64,
    geostance: String,
    training: TrainingInfo,
    features: VectorizerFile,
    heads: BTreeMap<String, Head>,
}

#[derive(Deserialize)]
struct Envelope {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

/// Serializes a classifier to model-file bytes (gzipped if `gzip`).
///
/// # Errors
/// Only if serialization itself fails (it does not for valid models).
pub fn to_bytes(model: &Classifier, gzip: bool) -> Result<Vec<u8>> {
    let file = ModelFile {
        format: FORMAT.to_string(),
        version: VERSION,
        geostance: env!("CARGO_PKG_VERSION").to_string(),
        training: model.training.clone(),
        features: model.vectorizer.to_file(),
        heads: model.heads.clone(),
    };
    let json = serde_json::to_vec(&file)
        .map_err(|e| Error::Data(format!("serializing the model: {e}")))?;
    if !gzip {
        return Ok(json);
    }
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::new(1));
    enc.write_all(&json)
        .and_then(|_| enc.finish())
        .map_err(|e| Error::io(Source::Memory, e))
}

/// Parses model-file bytes (plain or gzipped, recognised by the gzip magic bytes).
///
/// # Errors
/// [`Error::ModelFormat`] for another format, [`Error::ModelVersion`] for another version,
/// [`Error::ModelCorrupt`] for truncated or inconsistent files.
pub fn from_bytes(bytes: &[u8], source: &Source) -> Result<Classifier> {
    let corrupt = |message: String| Error::ModelCorrupt {
        source_name: source.clone(),
        message,
    };
    if bytes.trim_ascii().is_empty() {
        return Err(corrupt("the file is empty".into()));
    }
    let mut owned = Vec::new();
    let json: &[u8] = if bytes.starts_with(&[0x1f, 0x8b]) {
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut owned)
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::UnexpectedEof
                    || e.to_string().contains("incomplete")
                {
                    corrupt(format!("the file ends early (truncated?): gzip: {e}"))
                } else {
                    corrupt(format!("gzip: {e}"))
                }
            })?;
        &owned
    } else {
        bytes
    };
    let env: Envelope = serde_json::from_slice(json).map_err(|e| {
        if e.is_eof() || error_at_end(json, &e) {
            corrupt(format!("the file ends early (truncated?): {e}"))
        } else if e.is_syntax() && !json.trim_ascii_start().starts_with(b"{") {
            Error::ModelFormat {
                source_name: source.clone(),
                found: "not JSON".into(),
                expected: FORMAT.into(),
            }
        } else {
            corrupt(e.to_string())
        }
    })?;
    let found = env
        .format
        .as_ref()
        .and_then(|v| v.as_str())
        .unwrap_or("(none)");
    if found != FORMAT {
        return Err(Error::ModelFormat {
            source_name: source.clone(),
            found: found.to_string(),
            expected: FORMAT.into(),
        });
    }
    let version = env.version.as_ref().and_then(serde_json::Value::as_u64);
    if version != Some(VERSION) {
        return Err(Error::ModelVersion {
            source_name: source.clone(),
            found: version.unwrap_or(0),
            expected: VERSION,
        });
    }
    let file: ModelFile = serde_json::from_slice(json).map_err(|e| corrupt(e.to_string()))?;
    let vectorizer = Vectorizer::from_file(file.features).map_err(corrupt)?;
    if file.heads.is_empty() {
        return Err(corrupt("the model has no heads".into()));
    }
    for (name, head) in &file.heads {
        head.validate(vectorizer.n_features())
            .map_err(|m| corrupt(format!("head '{name}': {m}")))?;
    }
    Ok(Classifier {
        vectorizer,
        heads: file.heads,
        training: file.training,
    })
}

/// Whether a JSON error points at the last bytes of the input: a file cut inside a number
/// ("0.12" cut to "0.") is reported as an invalid number, not as an early end.
fn error_at_end(json: &[u8], e: &serde_json::Error) -> bool {
    let mut line = 1;
    let mut offset = 0;
    for (i, &b) in json.iter().enumerate() {
        if line == e.line() {
            offset = i;
            break;
        }
        if b == b'\n' {
            line += 1;
        }
    }
    let at = offset + e.column();
    let trimmed = json.trim_ascii_end().len();
    at + 1 >= trimmed
}

/// Loads a model file.
///
/// # Errors
/// As [`from_bytes`], plus [`Error::Io`] when the file cannot be read.
pub fn load(path: &Path) -> Result<Classifier> {
    let source = Source::File(path.to_path_buf());
    if path.is_dir() {
        return Err(Error::io(
            source,
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "is a folder: expected a model file",
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(source.clone(), e))?;
    from_bytes(&bytes, &source)
}

/// Saves a model file atomically: temporary file in the same folder, then rename. Gzipped
/// when the name ends in `.gz`.
///
/// # Errors
/// [`Error::Io`] naming the destination.
pub fn save(model: &Classifier, path: &Path) -> Result<()> {
    let gzip = path.extension().is_some_and(|e| e == "gz");
    let bytes = to_bytes(model, gzip)?;
    write_atomically(path, &bytes)
}

/// The name prefix of the temporary files [`write_atomically`] creates.
pub const TEMP_PREFIX: &str = ".geostance-";
/// The name suffix of the temporary files [`write_atomically`] creates.
pub const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
///
/// # Errors
/// [`Error::Io`] naming `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let source = Source::File(path.to_path_buf());
    let dir = check_destination(path)?;
    let mut tmp = temp_builder()
        .tempfile_in(dir)
        .map_err(|e| Error::io(source.clone(), e))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| Error::io(source.clone(), e))?;
    // Temporary files are created private (0600); a model is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io(source.clone(), e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(source, e.error))?;
    // Make the rename itself durable (a power loss right after it keeps the new file).
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The folder `path` will be written in, after checking that it is one and that `path` is not
/// a folder itself.
fn check_destination(path: &Path) -> Result<&Path> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let problem = if !dir.is_dir() {
        Some(format!(
            "cannot write the file: the folder {} {}",
            dir.display(),
            if dir.exists() {
                "is not a folder"
            } else {
                "does not exist"
            }
        ))
    } else if path.is_dir() {
        Some("is a folder: expected a file name".to_string())
    } else {
        None
    };
    match problem {
        Some(m) => Err(Error::io(
            Source::File(path.to_path_buf()),
            std::io::Error::new(std::io::ErrorKind::InvalidInput, m),
        )),
        None => Ok(dir),
    }
}

/// Checks, before any long work, that [`write_atomically`] can write `path`: its folder exists,
/// `path` is not a folder, and a temporary file can be created there (it is removed again).
///
/// # Errors
/// [`Error::Io`] naming `path` and the problem.
pub fn check_writable(path: &Path) -> Result<()> {
    let dir = check_destination(path)?;
    temp_builder()
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| Error::io(Source::File(path.to_path_buf()), e))
}

/// Removes temporary files of [`write_atomically`] in the folder of `path` that were last
/// modified more than `older_than` ago: a run killed (SIGKILL, power loss) while writing leaves
/// one behind. Younger ones may belong to a run that is writing right now and are kept.
/// Returns how many were removed; errors are ignored (this is housekeeping).
pub fn remove_stale_temp_files(path: &Path, older_than: std::time::Duration) -> usize {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let stale = entry
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > older_than);
        if stale && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // tempfile creates files readable by their owner only; ask for what a plain create gets
    // (0o666 less the umask), so a model is as readable as any other file the user writes.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}
