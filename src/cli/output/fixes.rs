//! `--show-fixes`: per file, how many fixes `--fix` applied and which are still
//! available (safe ones `--fix` would apply, unsafe ones only offered in editors).

use std::io::{self, Write};

use super::concise::one_line;
use super::rule_id;
use crate::cli::report::Report;
use crate::cli::CheckArgs;

pub fn write(args: &CheckArgs, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut any = false;
    for f in &report.files {
        let available: Vec<_> = f
            .diagnostics
            .iter()
            .flat_map(|d| d.fixes.iter().map(move |x| (d, x)))
            .collect();
        if f.fixes_applied == 0 && available.is_empty() {
            continue;
        }
        any = true;
        writeln!(out, "{}:", f.display)?;
        if f.fixes_applied > 0 {
            let verb = if args.fix && !args.diff {
                "applied"
            } else {
                "would be applied"
            };
            writeln!(out, "  {} fix(es) {verb}", f.fixes_applied)?;
        }
        for (d, x) in available {
            let (line, col) = f.lines.human(d.range.start);
            let note = if x.safe {
                "safe: `--fix` applies it"
            } else {
                "unsafe: `--fix --unsafe-fixes` applies it"
            };
            writeln!(out, "  {line}:{col} {}: {} ({note})", rule_id(f, d), one_line(&x.title))?;
        }
    }
    if !any {
        writeln!(out, "No fixes applied or available.")?;
    }
    Ok(())
}
