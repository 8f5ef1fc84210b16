//! What a check finds: diagnostics that carry their own fixes.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// How much a finding matters. Ordered: `Off < Hint < Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "off" => Severity::Off,
            "hint" => Severity::Hint,
            "info" => Severity::Info,
            "warning" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Index of a rule in the engine's rule table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RuleIdx(pub u32);

impl RuleIdx {
    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// Replace `range` (bytes) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn new(range: Range<usize>, replacement: impl Into<String>) -> Edit {
        Edit {
            range,
            replacement: replacement.into(),
        }
    }
    pub fn delete(range: Range<usize>) -> Edit {
        Edit::new(range, "")
    }
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit::new(at..at, text)
    }
}

/// A set of non-overlapping edits with an imperative title ("Replace with “Bộ Công an”").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    /// Safe fixes are applied by `--fix`; unsafe ones are offered in the editor only.
    pub safe: bool,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            safe: true,
        }
    }
    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            safe: false,
        }
    }
    /// One edit replacing `range`.
    pub fn replace(title: impl Into<String>, range: Range<usize>, replacement: impl Into<String>) -> Fix {
        Fix::safe(title, vec![Edit::new(range, replacement)])
    }
    pub(crate) fn shift(&mut self, by: usize) {
        for e in &mut self.edits {
            e.range = e.range.start + by..e.range.end + by;
        }
    }
}

/// A finding: a rule, a byte range, a message and the fixes that would resolve it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    pub rule: RuleIdx,
    pub range: Range<usize>,
    pub message: String,
    /// Set by the engine from the rule (and config) unless the check chose one, as the
    /// `abbreviation` kind does for its informational sub-checks.
    pub severity: Option<Severity>,
    pub fixes: Vec<Fix>,
    /// Why the fix a rule offered cannot be written in this file (a Word comment or
    /// field, an earlier tracked change, an HTML edit across a tag); its fixes are then
    /// dropped. Set where the document is mapped back to its file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_fixed: Option<String>,
}

impl Diagnostic {
    /// Approximate bytes held, the diagnostic and what it owns (for the memory bounds of
    /// the engine's block cache and the service's incremental sessions).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let fix = |f: &Fix| {
            size_of::<Fix>()
                + f.title.len()
                + f.edits
                    .iter()
                    .map(|e| size_of::<Edit>() + e.replacement.len())
                    .sum::<usize>()
        };
        size_of::<Diagnostic>() + self.message.len() + self.fixes.iter().map(fix).sum::<usize>()
    }
}

impl Diagnostic {
    pub fn new(rule: RuleIdx, range: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            range,
            message: message.into(),
            severity: None,
            fixes: Vec::new(),
            not_fixed: None,
        }
    }
    /// Drops the fixes, saying why they cannot be written.
    pub fn refuse_fixes(&mut self, reason: &str) {
        if !self.fixes.is_empty() {
            self.fixes.clear();
            self.not_fixed = Some(reason.to_string());
        }
    }
    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fixes.push(fix);
        self
    }
    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = Some(severity);
        self
    }
    /// The effective severity (the engine fills it in before returning diagnostics).
    pub fn severity(&self) -> Severity {
        self.severity.unwrap_or(Severity::Warning)
    }
    pub(crate) fn shift(&mut self, by: usize) {
        self.range = self.range.start + by..self.range.end + by;
        for f in &mut self.fixes {
            f.shift(by);
        }
    }
}
