//! Every command and flag of `tapis`, documented once: these doc comments
//! are what `--help` prints.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "tapis",
    version,
    about = "Clean web text for language-model corpora, and say why every piece was removed.",
    after_help = "Exit codes: 0 success; 1 some records could not be read (--on-error skip) or the run \
                  stopped at one (--on-error fail); 2 usage or configuration error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply the quality rules to documents: keep, remove with a reason, or
    /// report as unreadable every record read.
    Clean(CleanArgs),
    /// List the rules with their documentation, reason codes and default settings.
    Rules(RulesArgs),
    /// Tag the language of each record, like `fasttext predict`: one JSON
    /// record out per record in, in order, with the language as ISO 639-3
    /// plus script (`ind_Latn`), its confidence, the multilingual flag, and
    /// with --lines each line's.
    Lid(LidArgs),
    /// Show the results of `tapis clean -o OUT`: each kept document with the
    /// spans cut from it and why, each removed document with its reason.
    Show(ShowArgs),
    /// Every line of each page with its line-cleaning decision, its reason
    /// and the signals behind it: coloured on a terminal, plain in a pipe,
    /// one JSON record per page with --json.
    Explain(ExplainArgs),
    /// Count, over a corpus, the lines on many pages of the same site (its
    /// template), for `tapis clean --site-lines`: `count` does it all;
    /// `map` and `reduce` are its two steps, to run on different machines.
    #[command(subcommand)]
    SiteLines(SiteLinesCommand),
    /// Remove duplicate documents: exact copies (same text after datatrove's
    /// simplify_text), pages fetched again under the same URL, and with
    /// --mode near near-copies found with MinHash LSH (datatrove's
    /// signatures, FineWeb's settings). One document of each cluster is
    /// kept (--keep), with its cluster's id and size in its metadata; the
    /// others go to removed/ naming the one kept. The subcommands run the
    /// same work as separate steps, for many machines.
    Dedup(DedupArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CleanDedupArg {
    /// No deduplication.
    Off,
    /// Exact copies (and copies under one URL).
    Exact,
    /// Exact copies and near-copies (MinHash LSH).
    Near,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DedupModeArg {
    /// Exact copies only.
    Exact,
    /// Exact copies and near-copies (MinHash LSH).
    Near,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SurvivorArg {
    /// The document read first.
    First,
    /// The document with the most characters.
    Longest,
    /// The document with the earliest --date-field (RFC 3339 text such as a
    /// WARC-Date, YYYY-MM-DD, or Unix seconds); those without come last.
    Oldest,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct DedupArgs {
    /// The steps one at a time, for machines that share a work folder
    /// (without one, `tapis dedup INPUT... -o OUT` runs them all).
    #[command(subcommand)]
    pub step: Option<DedupStep>,

    #[command(flatten)]
    pub all: DedupAllArgs,
}

#[derive(Debug, Args)]
pub struct DedupAllArgs {
    /// Files or folders to read (as for `tapis clean`; not standard input:
    /// the inputs are read twice, once to find the clusters, once to write).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Write OUT/kept/, OUT/removed/, OUT/errors/ and OUT/stats.json.
    #[arg(short, long, value_name = "OUT", required = true)]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub output_args: DedupOutputArgs,

    /// What counts as a duplicate.
    #[arg(long, value_enum, default_value = "near")]
    pub mode: DedupModeArg,

    #[command(flatten)]
    pub settings: DedupSettingsArgs,

    #[command(flatten)]
    pub map: DedupMapArgs,
}

/// Which fields of the input records are read, and how web pages are.
#[derive(Debug, Args, Clone)]
pub struct FieldArgs {
    /// JSON field (or Parquet column) holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,

    /// JSON field holding the id (missing ids become FILE/LINE).
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,

    /// JSON field (or Parquet column) holding a page's HTML: its main
    /// content is extracted and becomes the text (the text field is then
    /// ignored). WARC, WET and .html inputs need no flag.
    #[arg(long, value_name = "NAME")]
    pub html_field: Option<String>,

    /// A WARC record or HTML page larger than this is reported as an error
    /// instead of being read.
    #[arg(long, default_value_t = 64, value_name = "MB")]
    pub max_record_mb: u64,
}

impl FieldArgs {
    pub fn read_options(&self) -> tapis_io::ReadOptions {
        tapis_io::ReadOptions {
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            html_field: self.html_field.clone(),
            max_record_bytes: self.max_record_mb << 20,
        }
    }
}

/// How kept and removed documents are written.
#[derive(Debug, Args)]
pub struct DedupOutputArgs {
    /// Replace the results of an earlier run in OUT.
    #[arg(long)]
    pub overwrite: bool,

    /// Output format of kept/ and removed/.
    #[arg(long, value_enum, default_value = "jsonl.zst")]
    pub format: FormatArg,

    #[command(flatten)]
    pub fields: FieldArgs,
}

/// What a deduplication does (the map steps write it to the work folder;
/// the later steps read it from there).
#[derive(Debug, Args, Clone)]
pub struct DedupSettingsArgs {
    /// Words per shingle.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub ngrams: usize,

    /// LSH bands (datatrove's buckets).
    #[arg(long, default_value_t = 14, value_name = "B")]
    pub bands: usize,

    /// Hashes per band.
    #[arg(long, default_value_t = 8, value_name = "R")]
    pub rows: usize,

    /// Seed of the hash functions (datatrove's MinhashConfig seed).
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u32,

    /// Partitions of the key files, a power of two: one reduce step each.
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub partitions: u32,

    /// Which document of each cluster is kept (ties: the first read).
    #[arg(long, value_enum, default_value = "first")]
    pub keep: SurvivorArg,

    /// Metadata field holding the date, for --keep oldest.
    #[arg(long, default_value = "date", value_name = "NAME")]
    pub date_field: String,

    /// Deduplicate each language on its own (as FineWeb-2 does): documents
    /// whose --language-field differs are never duplicates of each other;
    /// those without one form a group of their own.
    #[arg(long)]
    pub per_language: bool,

    /// Metadata field naming the document's language, for --per-language.
    #[arg(long, default_value = "language", value_name = "NAME")]
    pub language_field: String,

    /// Metadata field holding the document's URL: documents with the same
    /// URL (scheme and host in lower case, no #fragment) are copies (reason
    /// dedup/same_url). Documents without it are compared by text only.
    #[arg(long, default_value = "url", value_name = "NAME")]
    pub url_field: String,

    /// Do not compare URLs.
    #[arg(long)]
    pub no_url: bool,
}

/// Resources of a map step.
#[derive(Debug, Args)]
pub struct DedupMapArgs {
    /// Memory for the keys (text and URL hashes, MinHash bands) held before
    /// a run is written to disk, in MiB (what the map step holds besides
    /// the documents it is reading).
    #[arg(long, default_value_t = 256, value_name = "MIB")]
    pub memory_mb: usize,

    /// Threads computing signatures (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum DedupStep {
    /// Step 1, once per shard of the corpus: number its documents and write
    /// their keys (text hash, URL, MinHash bands) as sorted runs, with their
    /// ids, into the work folder.
    Map(DedupMapStepArgs),
    /// Step 2, once per partition (or all at once): merge every shard's runs
    /// and write the links between documents that share a key.
    Reduce(DedupReduceArgs),
    /// Step 3, once: join the links into clusters, choose each cluster's
    /// survivor, write every document's fate.
    Cluster(DedupWorkArgs),
    /// Step 4, once per shard (the same inputs as its map step): write each
    /// document to kept/ or removed/.
    Apply(DedupApplyArgs),
}

#[derive(Debug, Args)]
pub struct DedupWorkArgs {
    /// The work folder the steps share.
    #[arg(long, value_name = "DIR")]
    pub work: PathBuf,
}

#[derive(Debug, Args)]
pub struct DedupMapStepArgs {
    /// Files or folders of this shard.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The work folder the steps share.
    #[arg(long, value_name = "DIR")]
    pub work: PathBuf,

    /// This shard's number, unique in the work folder; shards are numbered
    /// in the order their documents count as read (for --keep first).
    #[arg(long, value_name = "N")]
    pub shard: u32,

    #[command(flatten)]
    pub fields: FieldArgs,

    /// What counts as a duplicate.
    #[arg(long, value_enum, default_value = "near")]
    pub mode: DedupModeArg,

    #[command(flatten)]
    pub settings: DedupSettingsArgs,

    #[command(flatten)]
    pub map: DedupMapArgs,
}

#[derive(Debug, Args)]
pub struct DedupReduceArgs {
    /// The work folder the steps share.
    #[arg(long, value_name = "DIR")]
    pub work: PathBuf,

    /// The partition to reduce (default: all).
    #[arg(long, value_name = "P")]
    pub partition: Option<u32>,
}

#[derive(Debug, Args)]
pub struct DedupApplyArgs {
    /// Files or folders of this shard, as given to its map step.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The work folder the steps share.
    #[arg(long, value_name = "DIR")]
    pub work: PathBuf,

    /// This shard's number, as given to its map step.
    #[arg(long, value_name = "N")]
    pub shard: u32,

    /// Write OUT/kept/, OUT/removed/, OUT/errors/ and OUT/stats.json for
    /// this shard.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    #[command(flatten)]
    pub output_args: DedupOutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum SiteLinesCommand {
    /// Map and reduce in one go: read the inputs, count, and write the
    /// frequent lines of every site to OUT.
    Count(SiteLinesCountArgs),
    /// The map step over one shard of the corpus: write its counts as
    /// sorted runs to OUT (a folder several map steps may share).
    Map(SiteLinesMapArgs),
    /// The reduce step: merge the runs of every map step and write the
    /// frequent lines of one partition (or all) to OUT.
    Reduce(SiteLinesReduceArgs),
}

/// How documents are read and sited, for the site-lines commands.
#[derive(Debug, Args)]
pub struct SiteInputArgs {
    /// Files or folders to read (as for `tapis clean`), `-` for JSONL on
    /// standard input. Documents without a URL are not counted (they are
    /// reported).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub fields: FieldArgs,

    /// Metadata field holding the page's URL; its host is the site.
    #[arg(long, default_value = "url", value_name = "NAME")]
    pub url_field: String,

    /// Partitions of the counts, a power of two: each reduce step merges
    /// one, so more partitions make more, smaller reduce steps.
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub partitions: u32,

    /// Memory for keys held before a run is written to disk, in MiB.
    #[arg(long, default_value_t = 256, value_name = "MIB")]
    pub memory_mb: usize,
}

#[derive(Debug, Args)]
pub struct SiteLinesCountArgs {
    #[command(flatten)]
    pub input: SiteInputArgs,

    /// Folder for the counts (`frequent-*.run`, `site-lines.json`); give it
    /// to `tapis clean --site-lines`.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Keep only lines on at least this many documents of their site (the
    /// cleaning pass's --site-min-docs cannot go lower).
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_docs: u32,
}

#[derive(Debug, Args)]
pub struct SiteLinesMapArgs {
    #[command(flatten)]
    pub input: SiteInputArgs,

    /// Folder for the runs.
    #[arg(short, long, value_name = "RUNS")]
    pub output: PathBuf,

    /// Name of this map step's runs, unique among the steps sharing RUNS.
    #[arg(long, default_value = "map", value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct SiteLinesReduceArgs {
    /// Folders of runs written by map steps.
    #[arg(required = true, value_name = "RUNS")]
    pub runs: Vec<PathBuf>,

    /// Folder for the counts.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// The partition to reduce (default: all of them, one after another).
    #[arg(long, value_name = "P")]
    pub partition: Option<u32>,

    /// Keep only lines on at least this many documents of their site.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_docs: u32,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PresetArg {
    /// datatrove 0.10.1's four filters in FineWeb's order, its defaults, English tokenizer.
    Datatrove,
    /// The same rules, language-aware (needs a document language in metadata).
    Multilingual,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    #[value(name = "jsonl.zst")]
    JsonlZst,
    Jsonl,
    Parquet,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OnErrorArg {
    /// Record unreadable records in errors/ and go on (exit code 1 at the end).
    Skip,
    /// Stop at the first unreadable record (exit code 1).
    Fail,
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files or folders to read, `-` for JSONL on standard input. Picked by
    /// extension: .txt (one document per file), .jsonl/.json/.ndjson (one
    /// document per line), each plain, .gz or .zst, and .parquet. Folders are
    /// read recursively in path order; their entries named `.*` or `_*` are
    /// not read but counted as skipped (`hidden_entry`).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Write OUT/kept/, OUT/removed/, OUT/errors/ and OUT/stats.json. Without
    /// it, kept documents go to standard output as JSONL and a summary to
    /// standard error.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Replace the results of an earlier run in OUT.
    #[arg(long)]
    pub overwrite: bool,

    /// Output format of kept/ and removed/ (with -o).
    #[arg(long, value_enum, default_value = "jsonl.zst")]
    pub format: FormatArg,

    /// Starting configuration; --config changes it.
    #[arg(long, value_enum, default_value = "datatrove")]
    pub preset: PresetArg,

    /// Do not remove boilerplate lines (menus, calls to action, footers)
    /// before the document rules: without this flag the rule
    /// boilerplate_lines runs first in every chain (see `tapis rules
    /// boilerplate_lines` and `tapis explain`).
    #[arg(long)]
    pub no_line_cleaning: bool,

    /// A TOML file with the rule chain, thresholds and per-language
    /// overrides, applied over the preset (see `tapis rules`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Threads applying the rules (default: all cores). Output is the same
    /// whatever the number.
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    #[command(flatten)]
    pub fields: FieldArgs,

    /// What to do with a record that cannot be read.
    #[arg(long, value_enum, default_value = "skip")]
    pub on_error: OnErrorArg,

    /// Without -o: also write removed documents to this JSONL file.
    #[arg(long, value_name = "FILE", conflicts_with = "output")]
    pub removed: Option<PathBuf>,

    /// Without -o: also write unreadable records to this JSONL file.
    #[arg(long, value_name = "FILE", conflicts_with = "output")]
    pub errors: Option<PathBuf>,

    /// Make every rule compute all its figures (not only up to its first
    /// failing test) and add them to kept documents' metadata (tapis.figures).
    #[arg(long)]
    pub with_figures: bool,

    /// Never show the progress bar (it only shows on a terminal anyway).
    #[arg(long)]
    pub no_progress: bool,

    /// Counts from `tapis site-lines count`: lines on many pages of a
    /// document's site (found by its URL, see --config's url_field) are
    /// removed as the site's template (reason
    /// boilerplate_lines/frequent_in_site), and the other lines of a page
    /// whose site's template is known are judged by the rule's
    /// site_threshold (0.4) rather than its threshold.
    #[arg(long, value_name = "DIR", conflicts_with = "no_line_cleaning")]
    pub site_lines: Option<PathBuf>,

    /// Identify the language of every line and of each document (written to
    /// metadata.tapis.language: the label, e.g. ind_Latn, its confidence, the
    /// multilingual flag and each line's [start, end, label, confidence]).
    /// The document's language also picks per-language settings, by its
    /// ISO 639-1 code, when the record names none in --config's
    /// language_field.
    #[arg(long)]
    pub lid: bool,

    /// Remove duplicates among the documents the rules keep, as `tapis
    /// dedup` does: exact copies, or exact and near copies. The kept
    /// documents are read twice, so they pass through a work folder
    /// (OUT/dedup-work, or a temporary folder without -o).
    #[arg(long, value_enum, default_value = "off")]
    pub dedup: CleanDedupArg,

    #[command(flatten, next_help_heading = "Deduplication (with --dedup)")]
    pub dedup_settings: DedupSettingsArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Pages to explain: .txt files (one page each), JSONL, Parquet, folders
    /// or `-`, read as by `tapis clean`.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// One JSON record per page: id, language, whether the text is extracted
    /// main content, the threshold it was judged by, and every non-blank line
    /// with its number, byte span, decision, reason code, score (in its
    /// page's context), line score (from its own signals) and signals.
    #[arg(long)]
    pub json: bool,

    /// With --json, add each line's classifier inputs (`features`, in the
    /// order of `feature_names` in the record), as training reads them.
    #[arg(long, requires = "json")]
    pub features: bool,

    /// The pages' language (ISO 639-1, e.g. `id`), when the records do not
    /// name it in --language-field; otherwise it is guessed from the page's
    /// stop words.
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,

    /// Lines scoring below this are removed (default: the model's). On a
    /// page's extracted main content (HTML, WARC inputs) it is lowered as
    /// `tapis clean` lowers it there (`extracted_content_odds`).
    #[arg(long, value_name = "P")]
    pub threshold: Option<f64>,

    /// Counts from `tapis site-lines count`: show how many pages of the
    /// page's site (from its --url-field) hold each line, and remove the frequent
    /// ones as `tapis clean --site-lines` does.
    #[arg(long, value_name = "DIR")]
    pub site_lines: Option<PathBuf>,

    /// Colours: auto (on a terminal), always or never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,

    /// Show whole lines, not just their first 100 characters.
    #[arg(long)]
    pub full: bool,

    #[command(flatten)]
    pub fields: FieldArgs,

    /// Metadata field holding the page's URL (as `url_field` in `tapis
    /// clean --config`): its host is the site for --site-lines, and a
    /// headline in its path is looked for in the text.
    #[arg(long, default_value = "url", value_name = "NAME")]
    pub url_field: String,

    /// Metadata field naming the page's language (as `language_field` in
    /// `tapis clean --config`).
    #[arg(long, default_value = "language", value_name = "NAME")]
    pub language_field: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct LidArgs {
    /// Files or folders to read, `-` for standard input. Records are JSONL
    /// documents (the text in --text-field), Parquet rows or .txt files,
    /// picked by extension as for `tapis clean`; with --plain, every line of
    /// every input is a record.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Treat every input line as one record of plain text.
    #[arg(long)]
    pub plain: bool,

    /// Add every non-blank line as `[start, end, label, confidence]` (`lines`,
    /// byte offsets; label null when undetermined).
    #[arg(long)]
    pub lines: bool,

    #[command(flatten)]
    pub fields: FieldArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Show only this rule.
    pub rule: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The folder `tapis clean -o` wrote.
    pub output: PathBuf,
    /// Show whole lines and whole removed documents, not just their start.
    #[arg(long)]
    pub full: bool,
}
