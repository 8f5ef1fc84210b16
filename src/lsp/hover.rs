//! Hover: on a diagnostic, the rule, its message, description and an example; on an
//! abbreviation from an `abbreviation` rule's glossary, its full form.

use std::sync::Arc;

use super::diagnostics;
use super::proto::{self, lsp, RpcResult};
use super::state::{lock, Checked, Shared};
use crate::diagnostic::RuleIdx;
use crate::engine::Engine;
use crate::rules::{abbreviation, parse_options};

/// The word-ish token around `offset` (letters, digits, `.`, `-`, `&`), trailing dots
/// trimmed, with its byte range.
fn token_at(text: &str, offset: usize) -> Option<(std::ops::Range<usize>, &str)> {
    let is_tok = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '&');
    let mut start = offset.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = start;
    while let Some(c) = text[..start].chars().next_back().filter(|c| is_tok(*c)) {
        start -= c.len_utf8();
    }
    while let Some(c) = text[end..].chars().next().filter(|c| is_tok(*c)) {
        end += c.len_utf8();
    }
    let tok = text[start..end].trim_end_matches(['.', '-']);
    let tok = tok.trim_start_matches(['.', '-']);
    if tok.is_empty() {
        return None;
    }
    let s = start + text[start..end].find(tok)?;
    Some((s..s + tok.len(), tok))
}

/// The full form of `word` in the glossary of an `abbreviation` rule of `engine`: the
/// compiled rules, so a rule turned off has no glossary and config option overrides count.
/// Returns (short form, long form, rule id).
pub fn glossary_lookup(engine: &Engine, word: &str) -> Option<(String, String, String)> {
    (0..engine.rules().len() as u32).map(RuleIdx).find_map(|idx| {
        let rule = engine.rule(idx);
        if rule.kind != "abbreviation" {
            return None;
        }
        // The options compiled, so they parse; a failure would only hide the hover.
        let options: abbreviation::Options = parse_options(engine.options(idx).clone()).ok()?;
        let entry = options
            .glossary
            .into_iter()
            .find(|e| e.short == word || e.variants.iter().any(|v| v == word))?;
        Some((entry.short, entry.long, rule.full_id()))
    })
}

fn diagnostic_hover(c: &Checked, offset: usize) -> Vec<(std::ops::Range<usize>, String)> {
    let Some(engine) = &c.engine else {
        return Vec::new();
    };
    c.diagnostics
        .iter()
        .filter(|d| {
            d.range.start <= offset && (offset < d.range.end || (d.range.is_empty() && offset == d.range.start))
        })
        .map(|d| {
            let rule = engine.rule(d.rule);
            let mut md = format!("**{}** ({}): {}", rule.full_id(), d.severity(), d.message);
            if let Some(desc) = &rule.description {
                md.push_str("\n\n");
                md.push_str(desc.trim());
            }
            if let Some(ex) = rule.examples.iter().find(|e| e.expect > 0).or(rule.examples.first()) {
                md.push_str("\n\nExample: `");
                md.push_str(ex.text.trim());
                md.push('`');
                if let Some(fixed) = &ex.fixed {
                    md.push_str(" → `");
                    md.push_str(fixed.trim());
                    md.push('`');
                }
            }
            if let Some(link) = &rule.link {
                md.push_str(&format!("\n\n[{link}]({link})"));
            }
            (d.range.clone(), md)
        })
        .collect()
}

/// `textDocument/hover`.
pub async fn hover(shared: &Arc<Shared>, params: lsp::HoverParams) -> RpcResult<Option<lsp::Hover>> {
    let uri = params.text_document_position_params.text_document.uri;
    let pos = params.text_document_position_params.position;
    if lock(&shared.docs).get(&uri).is_none() {
        return Ok(None);
    }
    let Some(c) = diagnostics::current(shared, &uri).await else {
        return Ok(None);
    };
    let encoding = shared.encoding();
    let (offset, _) = proto::offset(&c.lines, pos, encoding);
    let mut parts = diagnostic_hover(&c, offset);
    let mut range = parts.first().map(|(r, _)| r.clone());
    if let Some(engine) = &c.engine {
        // Only the line around the cursor: documents can be large.
        let line = c.lines.position(offset, crate::text::Encoding::Utf8).line;
        let (ls, le) = (c.lines.line_start(line), c.lines.line_content_end(line));
        let text = c.lines.rope().byte_slice(ls..le).to_string();
        if let Some((r, tok)) = token_at(&text, offset - ls) {
            let r = r.start + ls..r.end + ls;
            if let Some((short, long, rule)) = glossary_lookup(engine, tok) {
                parts.push((r.clone(), format!("**{short}**: {long}\n\n(glossary of {rule})")));
                range.get_or_insert(r);
            }
        }
    }
    if parts.is_empty() {
        return Ok(None);
    }
    let value = parts
        .into_iter()
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join("\n\n---\n\n");
    Ok(Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value,
        }),
        range: range.map(|r| proto::range(&c.lines, r, encoding)),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLOSSARY: &str = r#"
[[rule]]
id = "abbr"
kind = "abbreviation"
message = "m"
glossary = [{ short = "HĐND", long = "Hội đồng nhân dân", variants = ["HDND"] }]
"#;

    #[test]
    fn the_glossary_comes_from_the_compiled_rules() {
        let engine = crate::testing::engine(GLOSSARY);
        let found = Some((
            "HĐND".to_string(),
            "Hội đồng nhân dân".to_string(),
            "test/abbr".to_string(),
        ));
        assert_eq!(glossary_lookup(&engine, "HĐND"), found);
        assert_eq!(glossary_lookup(&engine, "HDND"), found);
        assert_eq!(glossary_lookup(&engine, "UBND"), None);
        // A rule turned off is not in the engine, so its glossary is not offered.
        let off = crate::testing::engine(&GLOSSARY.replace("message = \"m\"", "message = \"m\"\nseverity = \"off\""));
        assert_eq!(glossary_lookup(&off, "HĐND"), None);
    }

    #[test]
    fn config_option_overrides_reach_the_glossary() {
        use crate::config::RuleSetting;
        use crate::pack::{load_files, SourceFile};
        let pack = load_files("test", "test", vec![SourceFile::new("test.toml", GLOSSARY)]).unwrap();
        let setting: RuleSetting =
            toml::from_str("severity = \"warning\"\nglossary = [{ short = \"UBND\", long = \"Ủy ban nhân dân\" }]")
                .unwrap();
        let key = "abbr".to_string();
        let engine = crate::project::build_engine(&[pack], None, &[(&key, &setting)], None).unwrap();
        assert_eq!(glossary_lookup(&engine, "HĐND"), None);
        assert_eq!(
            glossary_lookup(&engine, "UBND").map(|g| g.1),
            Some("Ủy ban nhân dân".to_string())
        );
    }

    #[test]
    fn tokens_include_dots_inside_but_not_at_the_end() {
        let t = "Ở TP.HCM, ANTT.";
        let at = t.find("HCM").unwrap();
        assert_eq!(token_at(t, at).map(|x| x.1), Some("TP.HCM"));
        let at = t.find("ANTT").unwrap() + 2;
        assert_eq!(token_at(t, at).map(|x| x.1), Some("ANTT"));
        assert_eq!(token_at(t, t.find(',').unwrap() + 1), None);
    }
}
