//! Errors in rule files and configuration, located by file, line, column and key.

use std::fmt;

use super::locate;

/// A problem in a rule file or config file, with where it is and what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    /// One-based; 0 when the error is about the file as a whole.
    pub line: usize,
    /// One-based, in characters.
    pub column: usize,
    /// Byte range in the file, when known.
    pub span: Option<std::ops::Range<usize>>,
    /// The key at fault (`rule[2].terms[0].pattern`).
    pub key: Option<String>,
    pub message: String,
}

impl LoadError {
    /// An error about a whole file or folder.
    pub fn plain(file: impl Into<String>, message: impl Into<String>) -> LoadError {
        LoadError {
            file: file.into(),
            line: 0,
            column: 0,
            span: None,
            key: None,
            message: message.into(),
        }
    }

    /// An error at a byte range of a file.
    pub fn at_span(
        file: &str,
        text: &str,
        span: std::ops::Range<usize>,
        key: Option<String>,
        message: impl Into<String>,
    ) -> LoadError {
        let (line, column) = line_col(text, span.start);
        LoadError {
            file: file.to_string(),
            line,
            column,
            span: Some(span),
            key,
            message: message.into(),
        }
    }

    /// A TOML syntax or shape error.
    pub fn from_toml(file: &str, text: &str, e: &toml::de::Error) -> LoadError {
        let message = e.message().trim().to_string();
        match e.span() {
            Some(span) => LoadError::at_span(file, text, span, None, message),
            None => LoadError::plain(file, message),
        }
    }

    /// An error at `key` (a dotted path inside the rule) of the `index`-th `[[rule]]`.
    pub fn at_key(file: &str, text: &str, index: usize, key: &str, message: impl Into<String>) -> LoadError {
        let span = locate::rule_key_span(text, index, key);
        let full_key = format!("rule[{index}].{key}");
        match span {
            Some(span) => LoadError::at_span(file, text, span, Some(full_key), message),
            None => LoadError::at_rule(file, text, index, message).with_key(full_key),
        }
    }

    /// An error about the `index`-th `[[rule]]` as a whole.
    pub fn at_rule(file: &str, text: &str, index: usize, message: impl Into<String>) -> LoadError {
        match locate::rule_span(text, index) {
            Some(span) => LoadError::at_span(file, text, span, Some(format!("rule[{index}]")), message),
            None => LoadError::plain(file, message),
        }
    }

    pub fn with_key(mut self, key: String) -> LoadError {
        self.key = Some(key);
        self
    }
}

/// One-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        } else {
            write!(f, "{}: ", self.file)?;
        }
        f.write_str(&self.message)?;
        if let Some(k) = &self.key {
            write!(f, " (at `{k}`)")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}
