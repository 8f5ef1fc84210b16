//! `--format concise`: `path:line:col: severity[rule] message`, one finding a line, for
//! grep and editors' quickfix lists. A newline in a message is written as `\n`.

use std::io::{self, Write};

use super::{human::summary_line, rule_id};
use crate::cli::report::Report;
use crate::cli::CheckArgs;

/// A message on one line: `\`, CR and LF written as `\\`, `\r`, `\n`.
pub fn one_line(message: &str) -> String {
    let mut s = String::with_capacity(message.len());
    for c in message.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            c => s.push(c),
        }
    }
    s
}

pub fn write(args: &CheckArgs, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.files {
        for d in &f.diagnostics {
            let (line, col) = f.lines.human(d.range.start);
            writeln!(
                out,
                "{}:{line}:{col}: {}[{}] {}",
                f.display,
                d.severity(),
                rule_id(f, d),
                one_line(&d.message)
            )?;
        }
    }
    for e in &report.errors {
        let at = if e.line > 0 {
            format!("{}:{}:{}", e.path, e.line, e.column)
        } else {
            e.path.clone()
        };
        writeln!(out, "{at}: error[copydesk] {}", one_line(&e.message))?;
    }
    if !args.quiet {
        writeln!(out, "{}", summary_line(args, report))?;
    }
    Ok(())
}
