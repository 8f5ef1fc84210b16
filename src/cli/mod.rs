//! The command line: argument parsing and dispatch. Errors become exit codes here.

pub mod baseline;
pub mod changed;
pub mod check;
pub mod files;
pub mod fingerprint;
pub mod formats;
pub mod init;
pub mod output;
pub mod report;
pub mod rules_cmd;
pub mod write;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostic::Severity;

/// Exit code: nothing at or above `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, configuration, rule or I/O errors.
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "copydesk",
    version,
    about = "Check news copy against a newsroom's house style, and fix it."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check files and folders (or `-` for standard input).
    Check(CheckArgs),
    /// List, test or describe rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Explain a rule (`pack/id` or `id`) or a rule kind.
    Explain {
        /// A rule id or a kind name.
        name: String,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Run the language server over stdio.
    Lsp {
        /// Largest message accepted from the client, in bytes (default 64 MiB).
        #[arg(long, value_name = "BYTES")]
        max_message_size: Option<u64>,
    },
    /// Write a commented starter `.copydesk.toml` (and, with `--baseline`, a first baseline).
    Init(InitArgs),
    /// Serve the HTTP API and the web editor (loopback by default; see docs/serve.md).
    Serve(crate::serve::ServeArgs),
}

/// `copydesk init`.
#[derive(Args, Debug, Clone)]
pub struct InitArgs {
    /// Overwrite an existing `.copydesk.toml` (and baseline).
    #[arg(long)]
    pub force: bool,
    /// Also record today's findings in the current folder as a baseline
    /// (default file: `.copydesk-baseline.json`).
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = init::DEFAULT_BASELINE)]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// List the rules in use.
    List {
        #[command(flatten)]
        config: ConfigArgs,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Run the examples inside rule files as tests.
    Test {
        /// Packs to test: built-in names or folders. Default: the configured packs.
        #[arg(value_name = "PACK")]
        pack_names: Vec<String>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Print the JSON Schema of rule files (or of `.copydesk.toml` with `--config-file`).
    Schema {
        /// The schema of `.copydesk.toml` instead.
        #[arg(long)]
        config_file: bool,
    },
}

/// Where rules come from.
#[derive(Args, Debug, Clone, Default)]
pub struct ConfigArgs {
    /// Use this config file instead of searching for `.copydesk.toml`.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Ignore every `.copydesk.toml`; use the defaults (and `--pack`).
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,
    /// Add a rule pack (built-in name or folder); may be repeated.
    #[arg(long = "pack", value_name = "PACK", global = true)]
    pub packs: Vec<String>,
    /// Profile of the packs (`newsroom`, `nd30`).
    #[arg(long, value_name = "NAME", global = true)]
    pub profile: Option<String>,
    /// Let a repository's `.copydesk.toml` name rule packs outside the repository
    /// (absolute paths, `..`); only for checkouts you trust.
    #[arg(long, global = true)]
    pub allow_external_packs: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// rustc-style snippets with markers and fixes
    Human,
    /// `path:line:col: severity[rule] message`, one a line
    Concise,
    /// one JSON document (see README: JSON output)
    Json,
    /// one JSON diagnostic a line, the same objects as `json`
    JsonLines,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers)
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests)
    Github,
    /// GitLab Code Quality report
    Gitlab,
    /// Checkstyle XML
    Checkstyle,
    /// JUnit XML: one test case per file, a failure per finding
    Junit,
    /// reviewdog diagnostic format (rdjson), with suggestions
    Rdjson,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// Files and folders to check; `-` reads standard input. Default: the current folder.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Apply every safe fix and write the files.
    #[arg(long)]
    pub fix: bool,
    /// With `--fix`: write read-only files too (they are skipped with a message otherwise).
    #[arg(long, requires = "fix")]
    pub fix_read_only: bool,
    /// Print the fixes as a unified diff instead of writing them.
    #[arg(long)]
    pub diff: bool,
    /// With `--fix` or `--diff`: apply unsafe fixes too (fixes that may change meaning).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// With `--fix` on a Word document: edit the text directly instead of writing each
    /// fix as a tracked change.
    #[arg(long)]
    pub no_track_changes: bool,
    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "warning", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// File name to use for standard input (format, config lookup, output).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Colour the output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Print diagnostics only, no summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// Number of threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Report only findings on lines changed since this git revision (branch, tag, commit).
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// With `--changed-since`: files git does not track count as wholly changed.
    #[arg(long, requires = "changed_since")]
    pub include_untracked: bool,
    /// Report only findings that are not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings in this baseline file (and report nothing).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// List the fixes applied (with `--fix`) and available, per file.
    #[arg(long)]
    pub show_fixes: bool,
    /// Exit with 1 when there are more than N warnings, even if `--fail-on` would pass.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Apply the config's `exclude` to files named on the command line too (for
    /// pre-commit and other tools that pass every changed file).
    #[arg(long)]
    pub force_exclude: bool,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("`{s}` is not a severity; use error, warning, info or hint"))
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Check(args) => ExitCode::from(check::run(&args)),
        Command::Rules(RulesCommand::List { config, json }) => ExitCode::from(rules_cmd::list(&config, json)),
        Command::Rules(RulesCommand::Test { pack_names, config }) => {
            ExitCode::from(rules_cmd::test(&pack_names, &config))
        }
        Command::Rules(RulesCommand::Schema { config_file }) => ExitCode::from(rules_cmd::schema(config_file)),
        Command::Explain { name, config } => ExitCode::from(rules_cmd::explain(&name, &config)),
        Command::Lsp { max_message_size } => crate::lsp::run_stdio(max_message_size),
        Command::Init(args) => ExitCode::from(init::run(&args)),
        Command::Serve(args) => crate::serve::run(&args),
    }
}
