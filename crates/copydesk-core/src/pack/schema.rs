//! JSON Schema of the rule file format, generated from the Rust types, so that TOML
//! editors (Taplo, Even Better TOML) can complete and validate rule files.

use serde_json::{json, Map, Value};

use crate::rules::{Example, KINDS};

/// The schema of one rule file.
pub fn rule_file_schema() -> Value {
    let mut defs = Map::new();
    let example = serde_json::to_value(schemars::schema_for!(Example)).unwrap_or(Value::Null);
    defs.insert("Example".into(), example);
    let common = json!({
        "id": { "type": "string", "pattern": "^[A-Za-z0-9._-]+$", "description": "Stable rule id, shown as pack/id." },
        "severity": { "enum": ["error", "warning", "info", "hint", "off"], "default": "warning" },
        "message": { "type": "string", "description": "Message; {found} and {expected} are filled in." },
        "description": { "type": "string", "description": "Why the rule exists." },
        "link": { "type": "string", "format": "uri" },
        "scope": {
            "description": "Where the rule applies.",
            "anyOf": [
                { "$ref": "#/$defs/Scope" },
                { "type": "array", "items": { "$ref": "#/$defs/Scope" } }
            ]
        },
        "profiles": { "type": "array", "items": { "type": "string" }, "description": "Profiles the rule belongs to; empty: all." },
        "examples": { "type": "array", "items": { "$ref": "#/$defs/Example" } }
    });
    defs.insert(
        "Scope".into(),
        json!({ "enum": ["headline", "heading", "body", "quote", "list", "table"] }),
    );
    let mut variants = Vec::new();
    for k in KINDS {
        let mut schema = serde_json::to_value((k.schema)()).unwrap_or(Value::Null);
        // Lift the kind's own definitions into the shared `$defs`, prefixed by kind.
        if let Some(obj) = schema.as_object_mut() {
            if let Some(Value::Object(d)) = obj.remove("$defs") {
                for (name, def) in d {
                    defs.insert(format!("{}.{name}", k.name), def);
                }
            }
        }
        let mut text = serde_json::to_string(&schema).unwrap_or_default();
        text = text.replace("\"#/$defs/", &format!("\"#/$defs/{}.", k.name));
        let schema: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let mut props = common.as_object().cloned().unwrap_or_default();
        props.insert("kind".into(), json!({ "const": k.name }));
        let mut required = vec![json!("id"), json!("kind"), json!("message")];
        if let Some(p) = schema.get("properties").and_then(Value::as_object) {
            for (name, v) in p {
                props.insert(name.clone(), v.clone());
            }
        }
        if let Some(r) = schema.get("required").and_then(Value::as_array) {
            required.extend(r.iter().cloned());
        }
        variants.push(json!({
            "title": k.name,
            "type": "object",
            "properties": props,
            "required": required,
            "additionalProperties": false
        }));
    }
    let orthographies: Vec<&str> = crate::language::Orthography::ALL.iter().map(|&(_, n)| n).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "copydesk rule file",
        "type": "object",
        "properties": {
            "pack": {
                "type": "object",
                "properties": {
                    "name": { "type": "string" },
                    "description": { "type": "string" },
                    "profiles": { "type": "array", "items": { "type": "string" } },
                    "prefer-message": {
                        "type": "string",
                        "description": "Message of a style choice in `mode = \"prefer\"`: `{house}` is the house form, `{other}` the form found."
                    },
                    "credit-labels": {
                        "type": "array", "items": { "type": "string" },
                        "description": "Labels that open a photo or source credit before a colon (`Ảnh`, `Nguồn`), or right after a parenthesis and before a capital (`(Ảnh CAND)`): no fix of a term or an abbreviation edits the credit."
                    },
                    "source-credit-words": {
                        "type": "array", "items": { "type": "string" },
                        "description": "Words that open a source credit closing a paragraph (`Theo TTXVN`)."
                    },
                    "sentence-abbreviations": {
                        "type": "array", "items": { "type": "string" },
                        "description": "Abbreviations whose dot does not end a sentence (`TP.`, `PGS.`, `Mr.`), compared lower case, with or without the final dot."
                    },
                    "closing-abbreviations": {
                        "type": "array", "items": { "type": "string" },
                        "description": "Abbreviations that close an enumeration (`v.v.`, `etc.`): a sentence ends after them only when a capital follows."
                    },
                    "onsets": {
                        "type": "array", "items": { "type": "string" },
                        "description": "The consonants a syllable starts with, capitalized (`B`, `Ch`, `Ngh`): an initial of several letters after a name does not end a sentence, and a drop cap lost with the layout is restored with one."
                    },
                    "codas": {
                        "type": "array", "items": { "type": "string" },
                        "description": "The consonants a syllable ends with (`ng`, `c`): a doubled word whose first copy has a slipped final consonant gets no fix."
                    },
                    "dotted-words": {
                        "type": "array", "items": { "type": "string" },
                        "description": "Tokens with inner dots that are not sentence punctuation (`TP.HCM`, `PGS.TS`, `e.g.`): `typography` wants no space after their dots. Compared lower case, with or without the final dot."
                    },
                    "orthography": {
                        "type": "string", "enum": orthographies,
                        "description": "The orthography the pack's words are spelled in, if the engine knows it (`vietnamese`): `typography` then wants a word of the language after a dot before it reports a missing space, and `sentence` lets a foreign word that the text writes in lower case elsewhere start a sentence in lower case. With none, every word counts as the language's own."
                    }
                },
                "additionalProperties": false
            },
            "rule": { "type": "array", "items": { "oneOf": variants } }
        },
        "additionalProperties": false,
        "$defs": defs
    })
}

/// The schema of `.copydesk.toml`.
pub fn config_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(crate::config::Config)).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `[pack]` settings of the schema are the ones the loader reads (`PackHeader`),
    /// no more and no fewer: each loads, and the loader's list of known keys is the schema's.
    #[test]
    fn pack_settings_are_the_loaders() {
        use crate::pack::{load_files, SourceFile};
        let schema = rule_file_schema();
        let props = schema["properties"]["pack"]["properties"].as_object().unwrap();
        let load = |text: String| load_files("t", "t", vec![SourceFile::new("t.toml", text)]);
        for (key, p) in props {
            let value = match p["enum"].get(0) {
                Some(first) => first.to_string(),
                None if p["type"] == "array" => "[\"x\"]".to_string(),
                None => "\"x\"".to_string(),
            };
            assert!(load(format!("[pack]\n{key} = {value}\n")).is_ok(), "{key}");
            if let Some(choices) = p["enum"].as_array() {
                // Each choice loads, and nothing else does.
                for c in choices {
                    assert!(load(format!("[pack]\n{key} = {c}\n")).is_ok(), "{key} = {c}");
                }
                assert!(load(format!("[pack]\n{key} = \"no-such-choice\"\n")).is_err(), "{key}");
            }
        }
        let message = format!("{:?}", load("[pack]\nno-such-setting = 1\n".to_string()).err().unwrap());
        let known = message.split("expected one of").nth(1).unwrap_or("");
        let mut known: Vec<&str> = known.split('`').skip(1).step_by(2).collect();
        let mut keys: Vec<&str> = props.keys().map(String::as_str).collect();
        known.sort_unstable();
        keys.sort_unstable();
        assert_eq!(known, keys, "{message}");
    }

    /// The closed choices of every kind's options, as the schema gives them to editors: the
    /// same types parse rule files, so a value missing here is a load error there.
    #[test]
    fn option_choices_come_from_the_option_types() {
        let schema = rule_file_schema();
        let defs = schema["$defs"].as_object().expect("$defs");
        let mut choices = serde_json::Map::new();
        for (name, def) in defs {
            let values: Vec<Value> = match def.get("oneOf").and_then(Value::as_array) {
                Some(variants) => variants.iter().filter_map(|v| v.get("const").cloned()).collect(),
                None => def.get("enum").and_then(Value::as_array).cloned().unwrap_or_default(),
            };
            if !values.is_empty() {
                choices.insert(name.clone(), Value::Array(values));
            }
        }
        // One `mode` type, shared by every kind that checks a style choice.
        let modes: Vec<&String> = choices.keys().filter(|k| k.ends_with(".Mode")).collect();
        assert!(modes.len() >= 5, "{modes:?}");
        for m in &modes {
            assert_eq!(choices[*m], json!(["consistency", "prefer", "off"]), "{m}");
        }
        insta::assert_json_snapshot!(Value::Object(choices));
    }
}
