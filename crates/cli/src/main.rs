//! The `tapis` command line: a thin layer over the library crates.

mod clean;
mod dedup;
mod explain;
mod flags;
mod lid;
mod rules;
mod show;
mod site_lines;

use std::process::ExitCode;

use clap::Parser;

use flags::{Cli, Command};

/// Exit code for bad usage or configuration (clap uses it for bad flags too).
pub const EXIT_USAGE: u8 = 2;
/// Exit code when records could not be read.
pub const EXIT_RECORD_ERRORS: u8 = 1;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => clean::run(args),
        Command::Lid(args) => lid::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Show(args) => show::run(args),
        Command::Explain(args) => explain::run(args),
        Command::SiteLines(command) => site_lines::run(command),
        Command::Dedup(args) => dedup::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("tapis: {e:#}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// A failure that ends the command, with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    error: anyhow::Error,
}

impl Failure {
    pub fn usage(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            code: EXIT_USAGE,
            error: error.into(),
        }
    }
    fn exit_code(&self) -> u8 {
        self.code
    }
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure {
            code: EXIT_RECORD_ERRORS,
            error: e.into(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.error)
    }
}

/// ", skipped N (n1 reason1, n2 reason2)" for a summary line, or nothing
/// when no record was skipped.
pub(crate) fn skipped_clause<R: std::fmt::Display>(
    skipped: u64,
    by_reason: impl IntoIterator<Item = (R, u64)>,
) -> String {
    if skipped == 0 {
        return String::new();
    }
    let reasons: Vec<String> = by_reason
        .into_iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect();
    format!(", skipped {skipped} ({})", reasons.join(", "))
}
