//! The dispatch index: which `when` patterns a new record can fill.
//!
//! Patterns are indexed by action and, when they have one, by their first
//! literal input field (`path: "/login"`), so a record only meets the syncs
//! that name its action with matching literals; unrelated syncs cost nothing.

use rustc_hash::FxHashMap;
use serde_json::Value;
use std::any::TypeId;

use crate::record::Record;
use crate::sync::{CompiledSync, Form};

/// One `when` pattern of one sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PatternSlot {
    /// The sync's registration index.
    pub(crate) sync: u32,
    /// The pattern's position in the sync's `when`.
    pub(crate) pattern: u16,
}

/// Patterns keyed by their literal for one input field: string literals by
/// the string (looked up without allocating), others by their JSON text.
#[derive(Default)]
struct ByLiteral {
    strings: FxHashMap<String, Vec<(PatternSlot, Form)>>,
    others: FxHashMap<String, Vec<(PatternSlot, Form)>>,
}

impl ByLiteral {
    fn entry(&mut self, literal: &Value) -> &mut Vec<(PatternSlot, Form)> {
        match literal {
            Value::String(text) => self.strings.entry(text.clone()).or_default(),
            other => self.others.entry(other.to_string()).or_default(),
        }
    }

    fn find(&self, record: &Record, field: &str) -> Option<&Vec<(PatternSlot, Form)>> {
        if let Some(text) = record.data.field_str(field) {
            // Strings from URLs may stand for numbers or booleans (`"2"` for
            // `2`), as literal matching allows.
            return self.strings.get(text).or_else(|| {
                let parsed = serde_json::from_str::<Value>(text).ok()?;
                self.others.get(&parsed.to_string())
            });
        }
        match record.data.field(field)? {
            Value::String(text) => self.strings.get(&text),
            other => self.others.get(&other.to_string()),
        }
    }
}

#[derive(Default)]
struct Triggers {
    /// Patterns with no literal input: every record of the action may fill them.
    unconditional: Vec<(PatternSlot, Form)>,
    /// Patterns keyed by one literal input field, then by the literal's JSON text.
    by_literal: Vec<(&'static str, ByLiteral)>,
}

/// Patterns by the action they match.
#[derive(Default)]
pub(crate) struct Dispatch {
    by_action: FxHashMap<(TypeId, usize), Triggers>,
}

impl Dispatch {
    pub(crate) fn new(syncs: &[CompiledSync]) -> Dispatch {
        let mut dispatch = Dispatch::default();
        for (sync_index, sync) in syncs.iter().enumerate() {
            for (pattern_index, pattern) in sync.when.iter().enumerate() {
                let slot = PatternSlot {
                    sync: sync_index as u32,
                    pattern: pattern_index as u16,
                };
                let triggers = dispatch
                    .by_action
                    .entry((pattern.action.concept, pattern.action.index))
                    .or_default();
                match pattern.literals.first() {
                    None => triggers.unconditional.push((slot, pattern.form)),
                    Some((field, literal)) => {
                        let position = match triggers.by_literal.iter().position(|(name, _)| name == field) {
                            Some(position) => position,
                            None => {
                                triggers.by_literal.push((field, ByLiteral::default()));
                                triggers.by_literal.len() - 1
                            }
                        };
                        triggers.by_literal[position]
                            .1
                            .entry(literal)
                            .push((slot, pattern.form));
                    }
                }
            }
        }
        dispatch
    }

    /// The patterns `record` may fill, in registration order (by sync, then
    /// by pattern), written into `slots`.
    pub(crate) fn route(&self, record: &Record, slots: &mut Vec<PatternSlot>) {
        slots.clear();
        let Some(triggers) = self.by_action.get(&record.action_key()) else {
            return;
        };
        let form = if record.is_error() {
            Form::Error
        } else {
            Form::Success
        };
        let wanted = |(slot, pattern_form): &(PatternSlot, Form)| (*pattern_form == form).then_some(*slot);
        slots.extend(triggers.unconditional.iter().filter_map(wanted));
        for (field, by_value) in &triggers.by_literal {
            if let Some(keyed) = by_value.find(record, field) {
                slots.extend(keyed.iter().filter_map(wanted));
            }
        }
        if !triggers.by_literal.is_empty() {
            slots.sort_unstable();
        }
    }
}
