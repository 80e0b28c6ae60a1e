//! The dispatch index: which `when` patterns a new record can fill.
//!
//! Patterns are indexed by action and, when they have one, by their first
//! literal input field (`path: "/login"`), so a record only meets the syncs
//! that name its action with matching literals; unrelated syncs cost nothing.

use std::any::TypeId;
use std::collections::HashMap;

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

/// Patterns keyed by the JSON text of their literal for one input field.
type ByLiteral = HashMap<String, Vec<(PatternSlot, Form)>>;

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
    by_action: HashMap<(TypeId, usize), Triggers>,
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
                                triggers.by_literal.push((field, HashMap::new()));
                                triggers.by_literal.len() - 1
                            }
                        };
                        triggers.by_literal[position]
                            .1
                            .entry(literal.to_string())
                            .or_default()
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
            let Some(value) = record.data.field(field) else {
                continue;
            };
            if let Some(keyed) = by_value.get(&value.to_string()) {
                slots.extend(keyed.iter().filter_map(wanted));
            }
        }
        if !triggers.by_literal.is_empty() {
            slots.sort_unstable();
        }
    }
}
