//! `copydesk init`: a commented starter `.copydesk.toml`, and optionally a first baseline.

use std::path::{Path, PathBuf};

use super::{check, CheckArgs, ColorChoice, InitArgs, OutputFormat, EXIT_ERROR, EXIT_OK};
use crate::config::CONFIG_FILE;
use crate::diagnostic::Severity;

/// Where `init --baseline` writes when no file is given.
pub const DEFAULT_BASELINE: &str = ".copydesk-baseline.json";

/// The starter configuration. Every line that is not a comment is a valid setting.
pub const STARTER: &str = r#"# copydesk configuration. `copydesk rules list` shows the rules in use,
# `copydesk explain RULE` tells what one checks, `copydesk rules schema --config-file`
# prints the JSON Schema of this file.

# Rule packs: built-in names (`vi-news`) or folders of rule files, relative to this file.
packs = ["vi-news"]

# Profile of the packs: `newsroom` (the default) or `nd30` (administrative documents).
# profile = "newsroom"

# File extensions checked when walking folders.
extensions = ["md", "markdown", "txt"]

# Files and folders never checked (globs relative to this file).
exclude = []

# Per-rule settings: a severity (error, warning, info, hint, off) or a table with
# `severity` and the options of the rule's kind. Keys are `pack/id`, `id`, an id
# prefix (`quotes`) or a pack name.
[rules]
# "quotes.straight" = "error"
# "vi-news/tone.placement" = { severity = "info", mode = "prefer", prefer = "second-vowel" }

# Different settings for some files.
# [[overrides]]
# files = ["archive/**"]
# rules = { "typography" = "off" }
"#;

fn fail(message: &str) -> u8 {
    eprintln!("copydesk: error: {message}");
    EXIT_ERROR
}

fn check_args(config: &super::ConfigArgs) -> CheckArgs {
    CheckArgs {
        paths: vec![PathBuf::from(".")],
        config: config.clone(),
        format: OutputFormat::Human,
        fix: false,
        diff: false,
        unsafe_fixes: false,
        fix_read_only: false,
        no_track_changes: false,
        fail_on: Severity::Warning,
        stdin_filename: None,
        color: ColorChoice::Never,
        quiet: true,
        threads: None,
        changed_since: None,
        include_untracked: false,
        baseline: None,
        write_baseline: None,
        statistics: false,
        show_fixes: false,
        max_warnings: None,
        force_exclude: false,
    }
}

pub fn run(args: &InitArgs) -> u8 {
    let config_path = Path::new(CONFIG_FILE);
    if config_path.exists() && !args.force {
        return fail(&format!(
            "{CONFIG_FILE} already exists here; use `copydesk init --force` to overwrite it"
        ));
    }
    if let Some(b) = &args.baseline {
        if b.exists() && !args.force {
            return fail(&format!(
                "the baseline {} already exists; use `--force` to overwrite it",
                b.display()
            ));
        }
    }
    if let Err(e) = super::files::write_atomic(config_path, STARTER, false) {
        return fail(&format!("cannot write {CONFIG_FILE}: {}", super::files::io_message(&e)));
    }
    println!("Wrote {CONFIG_FILE}.");
    let Some(baseline) = &args.baseline else {
        return EXIT_OK;
    };
    let cargs = check_args(&args.config);
    let report = check::collect(&cargs);
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    match super::baseline::write(&report, baseline) {
        Ok(n) => {
            println!(
                "Recorded {n} finding(s) in {} checked file(s) in {}; use it with `copydesk check --baseline {}`.",
                report.files.len(),
                baseline.display(),
                baseline.display()
            );
            EXIT_OK
        }
        Err(m) => fail(&m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn starter_config_parses_and_uncommented_examples_parse_too() {
        let c = Config::parse("starter", STARTER).unwrap();
        assert_eq!(c.packs.as_deref(), Some(&["vi-news".to_string()][..]));
        let uncommented: String = STARTER
            .lines()
            .map(|l| {
                let t = l.strip_prefix("# ").unwrap_or(l);
                if t.starts_with('"') || t.starts_with('[') || t.contains(" = ") {
                    format!("{t}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        let c = Config::parse("uncommented", &uncommented).unwrap_or_else(|e| panic!("{e:?}\n{uncommented}"));
        assert_eq!(c.overrides.len(), 1);
        assert_eq!(c.profile.as_deref(), Some("newsroom"));
    }
}
