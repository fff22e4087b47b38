//! Command-line arguments (clap derive). Values are typed here; cross-option checks and file
//! access happen in the command handlers.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Countries' stance toward Russia, and the sentiment toward them, from news text.
#[derive(Debug, Parser)]
#[command(name = "geostance", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "Examples:
  geostance classify article.txt                 # the shipped model, a table per article
  geostance classify --format json articles/     # one JSON object per article
  geostance train --data data/train.csv --model my.json.gz
  geostance evaluate --model my.json.gz --data data/test.csv
  geostance cv --data data/train.csv --folds 5 --seed 1";

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train stance and/or sentiment heads from labeled CSV.
    Train(TrainArgs),
    /// Score a model on labeled CSV (scikit-learn's classification report, F_avg, baseline).
    Evaluate(EvaluateArgs),
    /// Stratified k-fold cross-validation of the whole pipeline.
    Cv(CvArgs),
    /// Show the most heavily weighted features of each label.
    Explain(ExplainArgs),
    /// Show a model's format, heads, labels, vocabulary and training parameters.
    Info(InfoArgs),
    /// Classify articles: every country mentioned, its stance toward Russia and the sentiment toward it.
    Classify(ClassifyArgs),
    /// List the country mentions the gazetteer finds (for checking it).
    Countries(CountriesArgs),
}

/// Column names of labeled CSV.
#[derive(Debug, Args, Clone)]
pub struct ColumnArgs {
    /// Name of the text column.
    #[arg(long = "text-col", default_value = "text", value_name = "NAME")]
    pub text: String,
    /// Name of the target column (optional in the file).
    #[arg(long = "target-col", default_value = "target", value_name = "NAME")]
    pub target: String,
    /// Name of the stance label column.
    #[arg(long = "stance-col", default_value = "stance", value_name = "NAME")]
    pub stance: String,
    /// Name of the sentiment label column.
    #[arg(
        long = "sentiment-col",
        default_value = "sentiment",
        value_name = "NAME"
    )]
    pub sentiment: String,
}

/// The estimator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Estimator {
    /// Multinomial logistic regression (sparse L-BFGS).
    Logistic,
    /// linfa-bayes multinomial naive Bayes (the fast baseline).
    NaiveBayes,
}

/// How targets shape the features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetModeArg {
    /// Decide from the data.
    Auto,
    /// Ignore targets.
    None,
    /// Target mentioned in the text: marker and context features.
    Mention,
    /// Topic targets: features conjoined with the target.
    Conjoin,
    /// Topic targets: one model per target.
    PerTarget,
}

/// Options shared by `train` and `cv`.
#[derive(Debug, Args, Clone)]
pub struct TrainingArgs {
    /// Heads to train (of those the data has labels for).
    #[arg(long, value_delimiter = ',', default_values = ["stance", "sentiment"], value_parser = ["stance", "sentiment"])]
    pub heads: Vec<String>,
    /// Estimator.
    #[arg(long, value_enum, default_value_t = Estimator::Logistic)]
    pub estimator: Estimator,
    /// L2 strength for logistic regression (scikit-learn's C = 1/alpha), smoothing for naive
    /// Bayes. Default: 0.1 for both; with --tune, chosen by 3-fold CV.
    #[arg(long)]
    pub alpha: Option<f64>,
    /// Choose alpha by stratified 3-fold cross-validation on the training data.
    #[arg(long)]
    pub tune: bool,
    /// Balanced class weights (n / (k * n_class)).
    #[arg(long)]
    pub balanced: bool,
    /// L-BFGS iteration limit.
    #[arg(long = "max-iter", default_value_t = 300)]
    pub max_iter: u64,
    /// Seed for every shuffle.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Do not calibrate probabilities (by default a temperature is fitted on a held-out fifth).
    #[arg(long = "no-calibrate")]
    pub no_calibrate: bool,
    /// How targets shape the features.
    #[arg(long = "target-mode", value_enum, default_value_t = TargetModeArg::Auto)]
    pub target_mode: TargetModeArg,
    /// Stemming language (e.g. english, russian, none).
    #[arg(long, default_value = "english")]
    pub language: String,
    /// Remove English stop words (negations are kept).
    #[arg(long = "stop-words")]
    pub stop_words: bool,
    /// Word n-gram range, e.g. 1-3.
    #[arg(long = "word-ngrams", default_value = "1-3", value_name = "MIN-MAX")]
    pub word_ngrams: String,
    /// Character n-gram range, e.g. 2-5, or "none".
    #[arg(
        long = "char-ngrams",
        default_value = "2-5",
        value_name = "MIN-MAX|none"
    )]
    pub char_ngrams: String,
    /// Drop terms in fewer documents (a count >= 1, or a fraction < 1).
    #[arg(long = "min-df", default_value_t = 2.0)]
    pub min_df: f64,
    /// Drop terms in a larger fraction of documents.
    #[arg(long = "max-df", default_value_t = 1.0)]
    pub max_df: f64,
    /// Keep only the most frequent terms.
    #[arg(long = "max-features")]
    pub max_features: Option<usize>,
    /// Use raw term counts instead of 1 + ln(tf).
    #[arg(long = "no-sublinear-tf")]
    pub no_sublinear_tf: bool,
    /// Words either side of a target mention used as window features.
    #[arg(long = "context-window", default_value_t = 4)]
    pub context_window: usize,
    /// Longest left/right n-gram at a target mention.
    #[arg(long = "context-ngrams", default_value_t = 2)]
    pub context_ngrams: usize,
    /// Words after a negation or blocking cue marked as negated (0 turns it off).
    #[arg(long = "negation-scope", default_value_t = 3)]
    pub negation_scope: usize,
}

/// `train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Labeled CSV file(s); `-` reads standard input. Several files are concatenated.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Where to write the model (gzipped when the name ends in .gz).
    #[arg(long, value_name = "OUT")]
    pub model: PathBuf,
    /// Column names.
    #[command(flatten)]
    pub columns: ColumnArgs,
    /// Training options.
    #[command(flatten)]
    pub training: TrainingArgs,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print each step with its elapsed time (instead of a spinner).
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,
}

/// Output format of `evaluate` and `cv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Text tables.
    Table,
    /// One JSON object.
    Json,
}

/// `evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The model (default: the shipped model in models/).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Labeled CSV file; `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// Column names.
    #[command(flatten)]
    pub columns: ColumnArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `cv`.
#[derive(Debug, Args)]
pub struct CvArgs {
    /// Labeled CSV file(s); `-` reads standard input.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Number of folds.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Keep rows with the same value of this column in one fold (e.g. passage).
    #[arg(long = "group-col", value_name = "NAME")]
    pub group: Option<String>,
    /// Column names.
    #[command(flatten)]
    pub columns: ColumnArgs,
    /// Training options (the seed also shuffles the folds).
    #[command(flatten)]
    pub training: TrainingArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The model (default: the shipped model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Features per label.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
}

/// `info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// The model (default: the shipped model).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// Input format of `classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Plain text: one article per file (or all of standard input).
    Text,
    /// JSON Lines: one {"id": ..., "text": ...} per line.
    Jsonl,
    /// CSV with id and text columns.
    Csv,
}

/// Output format of `classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A table per article (the default on a terminal).
    Table,
    /// One JSON object per article per line (the default otherwise).
    Json,
    /// One CSV row per article and country.
    Csv,
}

/// `classify`.
#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// Files, folders of .txt files, or `-` for standard input (the default).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The model (default: the shipped model in models/).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Input format.
    #[arg(long, value_enum, default_value_t = InputFormat::Text)]
    pub input: InputFormat,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// ID field/column for --input jsonl/csv.
    #[arg(long = "id-field", default_value = "id")]
    pub id_field: String,
    /// Text field/column for --input jsonl/csv.
    #[arg(long = "text-field", default_value = "text")]
    pub text_field: String,
    /// Add the features that pushed each country's stance most.
    #[arg(long)]
    pub explain: bool,
    /// Evidence sentences per country.
    #[arg(long, default_value_t = 3)]
    pub evidence: usize,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<std::num::NonZeroUsize>,
}

/// `countries`.
#[derive(Debug, Args)]
pub struct CountriesArgs {
    /// A text file, or `-` for standard input (the default).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
}
