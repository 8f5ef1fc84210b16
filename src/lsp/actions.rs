//! Code actions: a quick fix per diagnostic fix, "Fix all RULE problems", "Disable RULE
//! on this line", "Disable RULE in this project", and `source.fixAll.copydesk`. Every
//! action carries its edit (or gets it from `codeAction/resolve`); none needs a
//! client-side command.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::diagnostics;
use super::proto::{self, lsp, RpcResult};
use super::state::{lock, Checked, DocKind, Session, Shared};
use crate::config::{Config, RuleSetting, CONFIG_FILE};
use crate::diagnostic::{RuleIdx, Severity};
use crate::document::{Document, Format};
use crate::engine::Engine;
use crate::fix::fix_to_fixpoint;
use crate::text::LineIndex;

pub const FIX_ALL_KIND: &str = "source.fixAll.copydesk";
const QUICKFIX: &str = "quickfix";

/// What `codeAction/resolve` needs to compute a fix-all edit.
#[derive(serde::Serialize, Deserialize)]
struct ResolveData {
    uri: lsp::Uri,
    version: i32,
    /// `pack/id`, or none for every rule.
    rule: Option<String>,
}

/// A workspace edit of some documents, with versions (`documentChanges`) when the client
/// supports them, optionally creating files first.
pub fn workspace_edit(
    session: &Session,
    edits: Vec<(lsp::Uri, Option<i32>, Vec<lsp::TextEdit>)>,
    create: Option<lsp::Uri>,
) -> Option<lsp::WorkspaceEdit> {
    if session.caps.document_changes {
        if create.is_some() && !session.caps.create_files {
            return None;
        }
        let mut ops = Vec::new();
        if let Some(uri) = create {
            ops.push(lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(
                lsp::CreateFile {
                    uri,
                    options: Some(lsp::CreateFileOptions {
                        overwrite: Some(false),
                        ignore_if_exists: Some(true),
                    }),
                    annotation_id: None,
                },
            )));
        }
        for (uri, version, e) in edits {
            ops.push(lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
                text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri, version },
                edits: e.into_iter().map(lsp::OneOf::Left).collect(),
            }));
        }
        let changes = if ops.iter().all(|o| matches!(o, lsp::DocumentChangeOperation::Edit(_))) {
            lsp::DocumentChanges::Edits(
                ops.into_iter()
                    .filter_map(|o| match o {
                        lsp::DocumentChangeOperation::Edit(e) => Some(e),
                        lsp::DocumentChangeOperation::Op(_) => None,
                    })
                    .collect(),
            )
        } else {
            lsp::DocumentChanges::Operations(ops)
        };
        return Some(lsp::WorkspaceEdit {
            document_changes: Some(changes),
            ..Default::default()
        });
    }
    if create.is_some() {
        return None;
    }
    let mut map: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for (uri, _, e) in edits {
        map.entry(uri).or_default().extend(e);
    }
    Some(lsp::WorkspaceEdit {
        changes: Some(map),
        ..Default::default()
    })
}

/// The smallest single edit turning `old` into `new`: common prefix and suffix kept.
pub fn minimal_edit(old: &str, new: &str) -> Option<(Range<usize>, String)> {
    if old == new {
        return None;
    }
    let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some((prefix..old.len() - suffix, new[prefix..new.len() - suffix].to_string()))
}

/// Safe fixes (of one rule, or all) applied to a fixpoint, as one minimal edit.
pub fn fix_all_edit(
    engine: &Engine,
    text: &str,
    format: Format,
    rule: Option<RuleIdx>,
) -> Option<(Range<usize>, String)> {
    let outcome = fix_to_fixpoint(engine, text, format, &|t, f| Document::new(t, f), &|d| {
        rule.is_none_or(|r| d.rule == r)
    });
    minimal_edit(text, &outcome.text)
}

/// The fix-all workspace edit for a document's current text (blocking).
pub fn compute_fix_all(shared: &Shared, uri: &lsp::Uri, rule: Option<&str>) -> Option<lsp::WorkspaceEdit> {
    let snap = shared.snapshot(uri)?;
    let session = shared.session();
    let project = super::workspace::project(shared, &snap.config, snap.generation)?;
    let path = snap.path.clone().unwrap_or_default();
    let engine = project.engine_for(&path).ok()?;
    let rule_idx = match rule {
        Some(r) => Some(engine.find_rule(r)?),
        None => None,
    };
    let text = snap.rope.to_string();
    let (range, replacement) = fix_all_edit(&engine, &text, snap.format, rule_idx)?;
    let lines = LineIndex::from_rope(snap.rope.clone());
    let edit = lsp::TextEdit {
        range: proto::range(&lines, range, session.encoding),
        new_text: replacement,
    };
    workspace_edit(&session, vec![(uri.clone(), Some(snap.version), vec![edit])], None)
}

fn action(
    title: String,
    kind: &'static str,
    diagnostics: Option<Vec<lsp::Diagnostic>>,
    edit: Option<lsp::WorkspaceEdit>,
) -> lsp::CodeAction {
    lsp::CodeAction {
        title,
        kind: Some(proto::code_action_kind(kind)),
        diagnostics,
        edit,
        ..Default::default()
    }
}

fn rule_of(d: &lsp::Diagnostic) -> Option<String> {
    match &d.code {
        Some(lsp::NumberOrString::String(s)) if d.source.as_deref() == Some("copydesk") => Some(s.clone()),
        _ => None,
    }
}

/// The line ending used after `line` (or the document's first, or `\n`).
fn line_ending(lines: &LineIndex, line: usize) -> &'static str {
    let rope = lines.rope();
    let ending_of = |l: usize| -> Option<&'static str> {
        if l >= rope.len_lines() {
            return None;
        }
        let slice = rope.line(l);
        let n = slice.len_chars();
        match (
            n.checked_sub(2).map(|i| slice.char(i)),
            n.checked_sub(1).map(|i| slice.char(i)),
        ) {
            (Some('\r'), Some('\n')) => Some("\r\n"),
            (_, Some('\n')) => Some("\n"),
            (_, Some('\r')) => Some("\r"),
            _ => None,
        }
    };
    ending_of(line)
        .or_else(|| (0..rope.len_lines().min(64)).find_map(ending_of))
        .unwrap_or("\n")
}

/// `<!-- copydesk-disable-next-line RULE -->` on its own line above `line`.
fn disable_line_edit(lines: &LineIndex, line: usize, rule: &str) -> lsp::TextEdit {
    let rope = lines.rope();
    let indent: String = if line < rope.len_lines() {
        rope.line(line)
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect()
    } else {
        String::new()
    };
    let eol = line_ending(lines, line);
    let at = lsp::Position::new(u32::try_from(line).unwrap_or(u32::MAX), 0);
    lsp::TextEdit {
        range: lsp::Range::new(at, at),
        new_text: format!("{indent}<!-- copydesk-disable-next-line {rule} -->{eol}"),
    }
}

/// The config text with `"RULE" = "off"` in its rules, as one minimal edit. The file is
/// edited with a format-preserving TOML editor: comments, order and layout survive, an
/// existing setting of the rule keeps its comment. Checked by parsing the result.
pub fn config_edit(text: &str, rule: &str) -> Option<(Range<usize>, String)> {
    use toml_edit::{DocumentMut, Item, Table};
    let mut doc: DocumentMut = text.parse().ok()?;
    if !doc.contains_key("rules") {
        let mut t = Table::new();
        t.set_implicit(false);
        doc.insert("rules", Item::Table(t));
    }
    let rules = doc.get_mut("rules")?.as_table_like_mut()?;
    let mut off = toml_edit::Value::from("off");
    if let Some(old) = rules.get(rule).and_then(Item::as_value) {
        *off.decor_mut() = old.decor().clone();
    }
    rules.insert(rule, Item::Value(off));
    let mut new = doc.to_string();
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if eol == "\r\n" {
        new = new.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    let parsed = Config::parse(CONFIG_FILE, &new).ok()?;
    if parsed.rules.get(rule) != Some(&RuleSetting::Severity(Severity::Off)) {
        return None;
    }
    minimal_edit(text, &new)
}

/// Whether `path` is inside one of the workspace folders (or, without any, inside the
/// document's folder), symlinks resolved.
fn inside_workspace(session: &Session, doc_path: Option<&Path>, path: &Path) -> bool {
    let path = super::workspace::canonical(path);
    let mut roots: Vec<PathBuf> = session.roots.iter().map(|r| super::workspace::canonical(r)).collect();
    if roots.is_empty() {
        roots.extend(doc_path.and_then(Path::parent).map(super::workspace::canonical));
    }
    roots.iter().any(|r| path.starts_with(r))
}

/// The edit that switches a rule off in the config that governs `doc_path`, creating
/// `.copydesk.toml` (in the workspace folder, or next to the document) if there is none.
/// `Err` says why it is refused: the config is outside the workspace (above it, or a
/// symlink leading out of it).
fn disable_in_project_edit(
    shared: &Shared,
    session: &Session,
    config: Option<&Path>,
    doc_path: Option<&Path>,
    rule: &str,
) -> Result<Option<lsp::WorkspaceEdit>, String> {
    let (path, exists): (PathBuf, bool) = match config {
        Some(c) => (c.to_path_buf(), true),
        None => {
            let Some(dir) = session
                .root_for(doc_path)
                .map(Path::to_path_buf)
                .or_else(|| doc_path.and_then(Path::parent).map(Path::to_path_buf))
            else {
                return Ok(None);
            };
            (dir.join(CONFIG_FILE), false)
        }
    };
    let checked = if exists {
        path.clone()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    if !inside_workspace(session, doc_path, &checked) {
        let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        return Err(if link {
            format!(
                "{} is a symlink to a file outside the workspace; edit it there",
                path.display()
            )
        } else {
            format!(
                "the config that governs this file, {}, is outside the workspace",
                path.display()
            )
        });
    }
    let Some(uri) = proto::uri_of(&path) else {
        return Ok(None);
    };
    let open = lock(&shared.docs).get(&uri).map(|d| (d.rope.to_string(), d.version));
    let (text, version) = match open {
        Some((t, v)) => (t, Some(v)),
        None if exists => match std::fs::read_to_string(&path) {
            Ok(t) => (t, None),
            Err(_) => return Ok(None),
        },
        None => (String::new(), None),
    };
    let Some((range, new_text)) = config_edit(&text, rule) else {
        return Ok(None);
    };
    let lines = LineIndex::new(&text);
    let edit = lsp::TextEdit {
        range: proto::range(&lines, range, session.encoding),
        new_text,
    };
    let create = (!exists && version.is_none()).then(|| uri.clone());
    Ok(workspace_edit(session, vec![(uri, version, vec![edit])], create))
}

fn fix_all_action(
    shared: &Shared,
    session: &Session,
    uri: &lsp::Uri,
    version: i32,
    rule: Option<&str>,
    kind: &'static str,
) -> Option<lsp::CodeAction> {
    let title = match rule {
        Some(r) => format!("Fix all {r} problems in this document"),
        None => "Fix all copydesk problems".to_string(),
    };
    if session.caps.resolve_edit {
        let mut a = action(title, kind, None, None);
        a.data = serde_json::to_value(ResolveData {
            uri: uri.clone(),
            version,
            rule: rule.map(str::to_string),
        })
        .ok();
        return Some(a);
    }
    let edit = compute_fix_all(shared, uri, rule)?;
    Some(action(title, kind, None, Some(edit)))
}

/// `textDocument/codeAction`.
pub async fn code_actions(
    shared: &Arc<Shared>,
    params: lsp::CodeActionParams,
) -> RpcResult<Option<lsp::CodeActionResponse>> {
    let uri = params.text_document.uri.clone();
    let Some(DocKind::Prose(_)) = lock(&shared.docs).get(&uri).map(|d| d.kind) else {
        return Ok(None);
    };
    let checked = diagnostics::current(shared, &uri).await;
    let s = shared.clone();
    let result = tokio::task::spawn_blocking(move || build_actions(&s, params, checked)).await;
    match result {
        Ok(actions) => Ok(Some(actions)),
        Err(e) => Err(super::proto::RpcError {
            code: super::proto::ErrorCode::InternalError,
            message: format!("copydesk: code actions failed: {e}").into(),
            data: None,
        }),
    }
}

fn build_actions(
    shared: &Shared,
    params: lsp::CodeActionParams,
    checked: Option<Arc<Checked>>,
) -> lsp::CodeActionResponse {
    let uri = params.text_document.uri;
    let only = params.context.only.as_deref();
    let session = shared.session();
    let mut out: Vec<lsp::CodeActionOrCommand> = Vec::new();
    let Some(checked) = checked else {
        return out;
    };
    let (config, doc_path) = match lock(&shared.docs).get(&uri) {
        Some(d) => (d.config.clone(), d.path.clone()),
        None => return out,
    };
    let version = checked.version;
    if proto::kind_wanted(only, QUICKFIX) {
        let mut rules: Vec<(String, u32)> = Vec::new();
        for cd in &params.context.diagnostics {
            let Some(rule) = rule_of(cd) else { continue };
            // Only diagnostics of the current text: stale ones would edit the wrong place.
            // The fixes are the engine's, which the server holds (`lsp[i]` is `diagnostics[i]`).
            let Some(ours) = checked
                .lsp
                .iter()
                .position(|d| d.range == cd.range && d.code == cd.code && d.message == cd.message)
                .and_then(|i| checked.diagnostics.get(i))
            else {
                continue;
            };
            for (i, f) in ours.fixes.iter().enumerate() {
                // The first fix is the rule's own answer ("use the majority form everywhere"
                // for a choice); it is preferred when `--fix` would apply it.
                let preferred = i == 0 && f.safe;
                let edits = proto::text_edits(f, &checked.lines, session.encoding);
                let edit = workspace_edit(&session, vec![(uri.clone(), Some(version), edits)], None);
                // Unsafe fixes are offered too, marked, and never the preferred one.
                let title = if f.safe {
                    f.title.clone()
                } else {
                    format!("{} (unsafe)", f.title)
                };
                let mut a = action(title, QUICKFIX, Some(vec![cd.clone()]), edit);
                a.is_preferred = Some(preferred);
                out.push(lsp::CodeActionOrCommand::CodeAction(a));
            }
            if !rules.iter().any(|(r, _)| *r == rule) {
                rules.push((rule, cd.range.start.line));
            }
        }
        for (rule, line) in rules {
            let fixable = checked
                .lsp
                .iter()
                .zip(&checked.diagnostics)
                .filter(|(d, _)| rule_of(d).as_deref() == Some(rule.as_str()))
                .filter(|(_, d)| d.fixes.first().is_some_and(|f| f.safe))
                .count();
            if fixable >= 2 {
                if let Some(a) = fix_all_action(shared, &session, &uri, version, Some(&rule), QUICKFIX) {
                    out.push(lsp::CodeActionOrCommand::CodeAction(a));
                }
            }
            let edit = disable_line_edit(&checked.lines, line as usize, &rule);
            let edit = workspace_edit(&session, vec![(uri.clone(), Some(version), vec![edit])], None);
            out.push(lsp::CodeActionOrCommand::CodeAction(action(
                format!("Disable {rule} on this line"),
                QUICKFIX,
                None,
                edit,
            )));
            let title = format!("Disable {rule} in this project");
            match disable_in_project_edit(shared, &session, config.as_deref(), doc_path.as_deref(), &rule) {
                Ok(Some(edit)) => out.push(lsp::CodeActionOrCommand::CodeAction(action(
                    title,
                    QUICKFIX,
                    None,
                    Some(edit),
                ))),
                Ok(None) => {}
                // Shown greyed out with the reason where the client can; otherwise left out.
                Err(reason) if session.caps.disabled_support => {
                    let mut a = action(title, QUICKFIX, None, None);
                    a.disabled = Some(lsp::CodeActionDisabled { reason });
                    out.push(lsp::CodeActionOrCommand::CodeAction(a));
                }
                Err(_) => {}
            }
        }
    }
    if proto::kind_wanted(only, FIX_ALL_KIND) {
        let any_safe = checked.diagnostics.iter().any(|d| d.fixes.iter().any(|f| f.safe));
        if any_safe {
            if let Some(a) = fix_all_action(shared, &session, &uri, version, None, FIX_ALL_KIND) {
                out.push(lsp::CodeActionOrCommand::CodeAction(a));
            }
        }
    }
    out
}

/// `codeAction/resolve`: computes a fix-all edit offered without one.
pub async fn resolve(shared: &Arc<Shared>, mut action: lsp::CodeAction) -> RpcResult<lsp::CodeAction> {
    if action.edit.is_some() {
        return Ok(action);
    }
    let Some(data) = action
        .data
        .clone()
        .and_then(|v| serde_json::from_value::<ResolveData>(v).ok())
    else {
        return Ok(action);
    };
    let s = shared.clone();
    let edit = tokio::task::spawn_blocking(move || {
        let current = lock(&s.docs).get(&data.uri).map(|d| d.version);
        if current != Some(data.version) {
            return None;
        }
        compute_fix_all(&s, &data.uri, data.rule.as_deref())
    })
    .await
    .ok()
    .flatten();
    action.edit = Some(edit.unwrap_or_default());
    Ok(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_edits_keep_prefix_and_suffix_on_char_boundaries() {
        assert_eq!(minimal_edit("abc", "abc"), None);
        assert_eq!(minimal_edit("a \"x\" b", "a “x” b"), Some((2..5, "“x”".into())));
        // “à” and “á” share their first byte.
        assert_eq!(minimal_edit("xàx", "xáx"), Some((1..3, "á".into())));
        assert_eq!(minimal_edit("aa", "aaa"), Some((2..2, "a".into())));
    }

    fn edited(text: &str, rule: &str) -> String {
        let (r, t) = config_edit(text, rule).unwrap();
        let mut out = text.to_string();
        out.replace_range(r, &t);
        out
    }

    #[test]
    fn config_edits_add_or_replace_the_rule_and_keep_the_rest() {
        assert_eq!(edited("", "p/x.y"), "[rules]\n\"p/x.y\" = \"off\"\n");
        let text = "# Our house style\npacks = [\"./p\"] # local\n\n[rules]\n\"p/a\" = \"error\" # keep this\n# end\n";
        assert_eq!(
            edited(text, "p/a"),
            "# Our house style\npacks = [\"./p\"] # local\n\n[rules]\n\"p/a\" = \"off\" # keep this\n# end\n"
        );
        let added = edited(text, "p/x.y");
        assert!(added.starts_with(text.split("# end").next().unwrap()), "{added}");
        assert!(added.contains("\"p/x.y\" = \"off\"") && added.contains("# keep this") && added.contains("# end"));
        let text = "profile = \"nd30\" # house";
        assert_eq!(
            edited(text, "p/a"),
            "profile = \"nd30\" # house\n\n[rules]\n\"p/a\" = \"off\"\n"
        );
        // An inline `rules` table is extended in place.
        assert_eq!(
            edited("rules = { \"p/b\" = \"off\" }\n", "p/a"),
            "rules = { \"p/b\" = \"off\" , \"p/a\" = \"off\" }\n"
        );
        // CRLF files stay CRLF.
        let out = edited("# c\r\n[rules]\r\n\"p/b\" = \"warning\"\r\n", "p/a");
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        // A broken config is not edited.
        assert!(config_edit("[rules\n", "p/a").is_none());
    }

    #[test]
    fn disable_line_keeps_indent_and_line_ending() {
        let lines = LineIndex::new("a\r\n  b c\r\n");
        let e = disable_line_edit(&lines, 1, "p/r");
        assert_eq!(e.new_text, "  <!-- copydesk-disable-next-line p/r -->\r\n");
        assert_eq!(e.range.start, lsp::Position::new(1, 0));
        let lines = LineIndex::new("only");
        assert_eq!(
            disable_line_edit(&lines, 0, "p/r").new_text,
            "<!-- copydesk-disable-next-line p/r -->\n"
        );
    }
}
