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

/// The patterns of one action, per outcome form, in registration order (by
/// sync, then by pattern).
#[derive(Default, Clone)]
struct ByForm([Vec<PatternSlot>; 2]);

impl ByForm {
    fn of(&self, form: Form) -> &[PatternSlot] {
        &self.0[form_index(form)]
    }

    fn push(&mut self, slot: PatternSlot, form: Form) {
        self.0[form_index(form)].push(slot);
    }

    /// `self` and `other` merged, in registration order.
    fn merged(&self, other: &ByForm) -> ByForm {
        let merge = |form: usize| {
            let mut slots: Vec<PatternSlot> = self.0[form].iter().chain(&other.0[form]).copied().collect();
            slots.sort_unstable();
            slots
        };
        ByForm([merge(0), merge(1)])
    }
}

fn form_index(form: Form) -> usize {
    match form {
        Form::Success => 0,
        Form::Error => 1,
    }
}

/// Patterns keyed by their literal for one input field: string literals by
/// the string (looked up without allocating), others by their JSON text.
#[derive(Default)]
struct ByLiteral {
    strings: FxHashMap<String, ByForm>,
    others: FxHashMap<String, ByForm>,
}

impl ByLiteral {
    fn entry(&mut self, literal: &Value) -> &mut ByForm {
        match literal {
            Value::String(text) => self.strings.entry(text.clone()).or_default(),
            other => self.others.entry(other.to_string()).or_default(),
        }
    }

    /// The lists of the literals `record`'s `field` matches: at most two,
    /// as a string from a URL matches both the string literal and the
    /// number or boolean it spells (`"2"` matches `"2"` and `2`).
    fn find(&self, record: &Record, field: &str) -> [Option<&ByForm>; 2] {
        if let Some(text) = record.data.field_str(field) {
            // Most request fields spell no other literal (a path, a name):
            // skip the parse, whose failure allocates an error.
            let spelled = || {
                if self.others.is_empty() || !spells_non_string(text) {
                    return None;
                }
                let parsed = serde_json::from_str::<Value>(text).ok()?;
                self.others.get(&parsed.to_string())
            };
            return [self.strings.get(text), spelled()];
        }
        match record.data.field(field) {
            Some(Value::String(text)) => [self.strings.get(&text), None],
            Some(other) => [self.others.get(&other.to_string()), None],
            None => [None, None],
        }
    }

    fn lists_mut(&mut self) -> impl Iterator<Item = &mut ByForm> {
        self.strings.values_mut().chain(self.others.values_mut())
    }
}

/// Whether `text` may be the JSON text of a number, boolean, null, array or
/// object: a cheap test on its first non-whitespace character, before
/// parsing it.
fn spells_non_string(text: &str) -> bool {
    matches!(
        text.trim_start().as_bytes().first(),
        Some(b'0'..=b'9' | b'-' | b't' | b'f' | b'n' | b'[' | b'{')
    )
}

#[derive(Default)]
struct Triggers {
    /// Patterns with no literal input: every record of the action may fill them.
    unconditional: ByForm,
    /// Patterns keyed by one literal input field, then by the literal.
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
                    None => triggers.unconditional.push(slot, pattern.form),
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
                            .push(slot, pattern.form);
                    }
                }
            }
        }
        // With one literal field (the usual case: `path`), each literal's
        // list is stored merged with the unconditional patterns, so that
        // routing a record is one lookup and no sorting.
        for triggers in dispatch.by_action.values_mut() {
            if let [(_, by_literal)] = &mut triggers.by_literal[..] {
                for list in by_literal.lists_mut() {
                    *list = triggers.unconditional.merged(list);
                }
            }
        }
        dispatch
    }

    /// The patterns `record` may fill, in registration order (by sync, then
    /// by pattern): a list of the index, or one assembled in `scratch` when
    /// the action's patterns key on several fields.
    pub(crate) fn route<'a>(
        &'a self,
        record: &Record,
        scratch: &'a mut Vec<PatternSlot>,
    ) -> &'a [PatternSlot] {
        let Some(triggers) = self.by_action.get(&record.action_key()) else {
            return &[];
        };
        let form = if record.is_error() {
            Form::Error
        } else {
            Form::Success
        };
        match &triggers.by_literal[..] {
            [] => triggers.unconditional.of(form),
            [(field, by_value)] => match by_value.find(record, field) {
                [None, None] => triggers.unconditional.of(form),
                [Some(merged), None] | [None, Some(merged)] => merged.of(form),
                // Both lists hold the unconditional patterns: merge once.
                [Some(first), Some(second)] => {
                    scratch.clear();
                    scratch.extend_from_slice(first.of(form));
                    scratch.extend_from_slice(second.of(form));
                    scratch.sort_unstable();
                    scratch.dedup();
                    scratch
                }
            },
            several => {
                scratch.clear();
                scratch.extend_from_slice(triggers.unconditional.of(form));
                for (field, by_value) in several {
                    for keyed in by_value.find(record, field).into_iter().flatten() {
                        scratch.extend_from_slice(keyed.of(form));
                    }
                }
                scratch.sort_unstable();
                scratch
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{FlowId, RecordHeader, RecordId};
    use crate::requesting::{Fields, RequestId, Requested, Requesting, RequestingAction, RequestingOutcome};
    use crate::sync::{ActionRef, PatternSpec};
    use serde_json::json;

    /// A `Requesting.request` pattern with these literal inputs.
    fn pattern(literals: Vec<(&'static str, Value)>, form: Form) -> PatternSpec {
        PatternSpec {
            action: ActionRef::of::<Requesting>("request"),
            form,
            literals,
            outcome_literals: Vec::new(),
            open_fields: Vec::new(),
        }
    }

    /// A sync with these `when` patterns (its matching is never run here).
    fn sync_of(name: &'static str, when: Vec<PatternSpec>) -> CompiledSync {
        CompiledSync::new(
            name,
            "",
            when,
            Vec::new(),
            Vec::new(),
            crate::sync::eval_now_fn(|_| Ok(crate::sync::Evaluation::new(Vec::new(), vec![0]))),
        )
    }

    /// A sync with one success pattern on `Requesting.request`.
    fn sync_on(name: &'static str, literals: Vec<(&'static str, Value)>) -> CompiledSync {
        sync_of(name, vec![pattern(literals, Form::Success)])
    }

    /// A request record, in its success form or, with `failed`, its error.
    fn request_record(path: &str, method: &str, failed: bool) -> std::sync::Arc<Record> {
        let mut fields = Fields::new();
        fields.insert("method".into(), json!(method));
        let outcome = if failed {
            RequestingOutcome::request(Err(crate::concept::ErrorOutcome { error: "no".into() }))
        } else {
            RequestingOutcome::request(Ok(Requested {
                request: RequestId(1),
            }))
        };
        RecordHeader {
            id: RecordId(0),
            flow: FlowId(1),
            cause: None,
        }
        .seal::<Requesting>(
            RequestingAction::request {
                path: path.into(),
                fields,
            },
            outcome,
        )
    }

    fn request(path: &str, method: &str) -> std::sync::Arc<Record> {
        request_record(path, method, false)
    }

    fn routed(dispatch: &Dispatch, record: &Record) -> Vec<u32> {
        routed_slots(dispatch, record)
            .into_iter()
            .map(|(sync, _)| sync)
            .collect()
    }

    #[test]
    fn a_record_meets_the_patterns_of_its_literal_and_the_unconditional_ones_in_order() {
        let syncs = [
            sync_on("OnA", vec![("path", json!("/a"))]),
            sync_on("Any", Vec::new()),
            sync_on("OnB", vec![("path", json!("/b"))]),
        ];
        let dispatch = Dispatch::new(&syncs);
        assert_eq!(routed(&dispatch, &request("/a", "GET")), vec![0, 1]);
        assert_eq!(routed(&dispatch, &request("/b", "GET")), vec![1, 2]);
        assert_eq!(routed(&dispatch, &request("/c", "GET")), vec![1]);
    }

    #[test]
    fn patterns_keyed_on_different_fields_are_merged_in_order() {
        let syncs = [
            sync_on("OnA", vec![("path", json!("/a"))]),
            sync_on("Any", Vec::new()),
            sync_on("OnGet", vec![("method", json!("GET"))]),
            sync_on("OnB", vec![("path", json!("/b"))]),
        ];
        let dispatch = Dispatch::new(&syncs);
        assert_eq!(routed(&dispatch, &request("/a", "GET")), vec![0, 1, 2]);
        assert_eq!(routed(&dispatch, &request("/b", "POST")), vec![1, 3]);
        assert_eq!(routed(&dispatch, &request("/c", "GET")), vec![1, 2]);
    }

    fn routed_slots(dispatch: &Dispatch, record: &Record) -> Vec<(u32, u16)> {
        let mut scratch = Vec::new();
        dispatch
            .route(record, &mut scratch)
            .iter()
            .map(|slot| (slot.sync, slot.pattern))
            .collect()
    }

    #[test]
    fn patterns_are_routed_by_outcome_form_and_in_pattern_order() {
        // One sync with two patterns on the same action, and one on its error.
        let both = sync_of(
            "Both",
            vec![
                pattern(vec![("path", json!("/a"))], Form::Success),
                pattern(Vec::new(), Form::Success),
            ],
        );
        let failed = sync_of("Failed", vec![pattern(vec![("path", json!("/a"))], Form::Error)]);
        let dispatch = Dispatch::new(&[both, failed]);
        assert_eq!(
            routed_slots(&dispatch, &request("/a", "GET")),
            vec![(0, 0), (0, 1)]
        );
        assert_eq!(
            routed_slots(&dispatch, &request_record("/a", "GET", true)),
            vec![(1, 0)]
        );
    }

    #[test]
    fn a_string_from_a_url_meets_both_its_string_and_its_number_literal() {
        let syncs = [
            sync_on("Number", vec![("path", json!(2))]),
            sync_on("Any", Vec::new()),
            sync_on("Text", vec![("path", json!("2"))]),
        ];
        let dispatch = Dispatch::new(&syncs);
        assert_eq!(routed(&dispatch, &request("2", "GET")), vec![0, 1, 2]);
        assert_eq!(routed(&dispatch, &request("3", "GET")), vec![1]);
    }

    /// A pattern for the property test: its form, and its first literal
    /// (field, value), if any.
    type PatternShape = (bool, Option<(&'static str, Value)>);

    fn literal() -> impl proptest::strategy::Strategy<Value = Option<(&'static str, Value)>> {
        use proptest::prelude::*;
        let value = prop_oneof![
            Just(json!("/a")),
            Just(json!("/b")),
            Just(json!("2")),
            Just(json!(2)),
            Just(json!(true)),
            Just(json!(-1)),
            Just(json!("GET")),
        ];
        proptest::option::of((prop_oneof![Just("path"), Just("method")], value))
    }

    proptest::proptest! {
        /// Routing agrees with the plain rule: a pattern is met when its
        /// form is the record's and its first literal (if any) matches the
        /// record's field, as literal matching compares them; in (sync,
        /// pattern) order.
        #[test]
        fn routing_agrees_with_the_plain_rule(
            syncs in proptest::collection::vec(
                proptest::collection::vec((proptest::bool::ANY, literal()), 1..3),
                0..8,
            ),
            path in proptest::prop_oneof![
                proptest::strategy::Just("/a"), proptest::strategy::Just("/b"),
                proptest::strategy::Just("2"), proptest::strategy::Just("true"),
                proptest::strategy::Just("-1"), proptest::strategy::Just(" 2"),
            ],
            method in proptest::prop_oneof![proptest::strategy::Just("GET"), proptest::strategy::Just("2")],
            failed in proptest::bool::ANY,
        ) {
            let compiled: Vec<CompiledSync> = syncs
                .iter()
                .map(|patterns: &Vec<PatternShape>| {
                    let when = patterns
                        .iter()
                        .map(|(error, literal)| {
                            let form = if *error { Form::Error } else { Form::Success };
                            pattern(literal.clone().into_iter().collect(), form)
                        })
                        .collect();
                    sync_of("Generated", when)
                })
                .collect();
            let dispatch = Dispatch::new(&compiled);
            let record = request_record(path, method, failed);
            let expected: Vec<(u32, u16)> = syncs
                .iter()
                .enumerate()
                .flat_map(|(sync, patterns)| {
                    patterns.iter().enumerate().filter_map(move |(pattern, (error, literal))| {
                        let field_value = |name: &str| match name {
                            "path" => json!(path),
                            _ => json!(method),
                        };
                        let form_matches = *error == failed;
                        let literal_matches = literal.as_ref().is_none_or(|(name, value)| {
                            crate::__private::open_literal_matches(Some(&field_value(name)), value)
                        });
                        (form_matches && literal_matches).then_some((sync as u32, pattern as u16))
                    })
                })
                .collect();
            proptest::prop_assert_eq!(routed_slots(&dispatch, &record), expected);
        }
    }
}
