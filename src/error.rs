//! The library's error type.
//!
//! Every error that comes from user input names where it was found: the file (or `<stdin>`), the
//! line, and the column or byte offset where one applies, and says what was expected. The
//! library never panics on input; anything it cannot handle ends here.

use std::path::PathBuf;

/// Where a piece of input came from: a file path, or standard input.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
    /// Text handed to the library directly (tests, embedding programs).
    Memory,
}

impl Source {
    /// `-` means standard input, anything else a file.
    pub fn from_arg(arg: &std::path::Path) -> Self {
        if arg.as_os_str() == "-" {
            Source::Stdin
        } else {
            Source::File(arg.to_path_buf())
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::File(p) => write!(f, "{}", p.display()),
            Source::Stdin => f.write_str("<stdin>"),
            Source::Memory => f.write_str("<memory>"),
        }
    }
}

/// A position in an input: 1-based line, and optionally a 1-based column (CSV field number
/// or character column) and a byte offset from the start of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// 1-based line number.
    pub line: u64,
    /// 1-based column: the CSV field number, or the character column in a line.
    pub column: Option<u64>,
    /// Byte offset from the start of the input.
    pub byte: Option<u64>,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(c) = self.column {
            write!(f, ", column {c}")?;
        }
        if let Some(b) = self.byte {
            write!(f, " (byte {b})")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in geostance.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{source_name}: {error}")]
    Io {
        /// The file (or stream) involved.
        source_name: Source,
        /// The underlying error.
        #[source]
        error: std::io::Error,
    },

    /// A CSV record could not be parsed.
    #[error("{source_name}: {pos}: malformed CSV: {message}")]
    Csv {
        /// The file.
        source_name: Source,
        /// Where.
        pos: Position,
        /// What the parser said.
        message: String,
    },

    /// Input that is not valid UTF-8.
    #[error(
        "{source_name}: {pos}: the input is not valid UTF-8 (expected UTF-8 text; re-encode the file, e.g. `iconv -f latin1 -t utf-8`)"
    )]
    Utf8 {
        /// The file.
        source_name: Source,
        /// Where the first invalid byte is.
        pos: Position,
    },

    /// A required column is missing from a CSV header.
    #[error(
        "{source_name}: line 1: column '{column}' not found; the header has: {available} (rename it with {flag})"
    )]
    MissingColumn {
        /// The file.
        source_name: Source,
        /// The column that was looked for.
        column: String,
        /// The columns that are there, comma separated.
        available: String,
        /// The command-line flag that renames it.
        flag: String,
    },

    /// The input holds no usable rows.
    #[error("{source_name}: {what}")]
    Empty {
        /// The file.
        source_name: Source,
        /// What was missing, e.g. "no rows with a stance label".
        what: String,
    },

    /// A JSON Lines record could not be parsed.
    #[error("{source_name}: {pos}: invalid JSON: {message}")]
    Json {
        /// The file.
        source_name: Source,
        /// Where.
        pos: Position,
        /// What the parser said.
        message: String,
    },

    /// A label at evaluation that the model was never trained on.
    #[error("{source_name}: {pos}: {head} label '{label}' is not one the model knows ({known})")]
    UnknownLabel {
        /// The file.
        source_name: Source,
        /// Where.
        pos: Position,
        /// Which head (stance or sentiment).
        head: String,
        /// The label found.
        label: String,
        /// The labels the model knows, comma separated.
        known: String,
    },

    /// A model file of another format.
    #[error("{source_name}: not a geostance model: found format '{found}', expected '{expected}'")]
    ModelFormat {
        /// The file.
        source_name: Source,
        /// The format name found.
        found: String,
        /// The format name expected.
        expected: String,
    },

    /// A model file of another version.
    #[error(
        "{source_name}: model format version {found} is not supported; this build reads version {expected} (retrain the model with this version)"
    )]
    ModelVersion {
        /// The file.
        source_name: Source,
        /// The version found.
        found: u64,
        /// The version this build reads.
        expected: u64,
    },

    /// A model file that is truncated or inconsistent.
    #[error("{source_name}: the model file is damaged: {message}")]
    ModelCorrupt {
        /// The file.
        source_name: Source,
        /// What is wrong.
        message: String,
    },

    /// A bad parameter value.
    #[error("invalid {name} = {value}: {reason}")]
    InvalidParam {
        /// Parameter name.
        name: &'static str,
        /// The value given.
        value: String,
        /// Why it is invalid / what is allowed.
        reason: String,
    },

    /// No features survive vocabulary pruning.
    #[error("after pruning, no features remain ({detail}); try a lower min_df or a higher max_df")]
    EmptyVocabulary {
        /// Counts that explain why.
        detail: String,
    },

    /// Training needs at least two labels.
    #[error("{head}: training needs at least two different labels, found {found}")]
    TooFewLabels {
        /// Which head.
        head: String,
        /// The labels found.
        found: String,
    },

    /// The optimiser failed.
    #[error("training failed: {0}")]
    Optimizer(String),

    /// A line of the gazetteer file is malformed.
    #[error("{source_name}: {pos}: gazetteer: {message}")]
    Gazetteer {
        /// The file.
        source_name: Source,
        /// Where.
        pos: Position,
        /// What is wrong.
        message: String,
    },

    /// An input exceeds a documented limit.
    #[error("{source_name}: {what}")]
    Limit {
        /// The file.
        source_name: Source,
        /// Which limit, and how to raise it.
        what: String,
    },

    /// Cross-validation or evaluation asked for something the data cannot give.
    #[error("{0}")]
    Data(String),

    /// An error from linfa.
    #[error("linfa: {0}")]
    Linfa(#[from] linfa::Error),

    /// An error from linfa-bayes.
    #[error("linfa-bayes: {0}")]
    Bayes(#[from] linfa_bayes::NaiveBayesError),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the file it happened on.
    pub fn io(source_name: Source, error: std::io::Error) -> Self {
        Error::Io { source_name, error }
    }
}
