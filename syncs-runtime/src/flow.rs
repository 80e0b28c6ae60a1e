//! The flow store: one flow's records, and for each sync pattern the records
//! that may still fill it.
//!
//! A flow is owned by the task that runs its cascade, so it needs no lock.
//! When the cascade ends the flow is dropped and its records with it.

use rustc_hash::FxHashMap;
use std::sync::Arc;

use crate::dispatch::PatternSlot;
use crate::record::TypedRecord;
use crate::record::{FlowId, Record, RecordId};
use crate::requesting::{Fields, RequestId, Requesting, RequestingAction, Response};

/// The syncs a new record triggers, in registration order (rarely more than
/// a few, so kept inline).
pub(crate) type Triggered = smallvec::SmallVec<[u32; 4]>;

/// For each pattern of a sync, the positions of its candidate records in
/// the flow.
pub(crate) type Candidates<'a> = smallvec::SmallVec<[&'a [u32]; 4]>;

/// The unconsumed candidates of one pattern, by position in the flow:
/// usually one or two, so kept inline.
type CandidateList = smallvec::SmallVec<[u32; 4]>;

/// How many records a flow keeps inline: a request's flow usually records a
/// handful of actions, which then need no allocation of their own.
const EXPECTED_RECORDS: usize = 8;

/// How many patterns a flow's slot table holds inline, searched linearly,
/// before it moves them to a hash map.
const INLINE_SLOTS: usize = 8;

/// The candidate lists of the patterns a flow's records filled. A request's
/// flow fills a few patterns, for which a short inline list searched
/// linearly beats hashing and allocating; a long flow (a chain, a fan-out)
/// spills to a hash map, so that a lookup stays O(1).
// Inline on purpose: the large variant is the common case, and boxing it
// would bring back the allocation per flow it exists to avoid.
#[allow(clippy::large_enum_variant)]
enum SlotTable {
    Inline(smallvec::SmallVec<[(PatternSlot, CandidateList); INLINE_SLOTS]>),
    Hashed(FxHashMap<PatternSlot, CandidateList>),
}

impl SlotTable {
    fn get(&self, slot: &PatternSlot) -> Option<&CandidateList> {
        match self {
            SlotTable::Inline(entries) => entries.iter().find(|(key, _)| key == slot).map(|(_, list)| list),
            SlotTable::Hashed(map) => map.get(slot),
        }
    }

    fn get_mut(&mut self, slot: &PatternSlot) -> Option<&mut CandidateList> {
        match self {
            SlotTable::Inline(entries) => entries
                .iter_mut()
                .find(|(key, _)| key == slot)
                .map(|(_, list)| list),
            SlotTable::Hashed(map) => map.get_mut(slot),
        }
    }

    /// The list of `slot`, made empty if it has none yet.
    fn list(&mut self, slot: PatternSlot) -> &mut CandidateList {
        if let SlotTable::Inline(entries) = self {
            if entries.len() == INLINE_SLOTS && !entries.iter().any(|(key, _)| *key == slot) {
                let map = std::mem::take(entries).into_iter().collect();
                *self = SlotTable::Hashed(map);
            }
        }
        match self {
            SlotTable::Inline(entries) => {
                let position = match entries.iter().position(|(key, _)| *key == slot) {
                    Some(position) => position,
                    None => {
                        entries.push((slot, CandidateList::new()));
                        entries.len() - 1
                    }
                };
                &mut entries[position].1
            }
            SlotTable::Hashed(map) => map.entry(slot).or_default(),
        }
    }
}

pub(crate) struct Flow {
    pub(crate) id: FlowId,
    pub(crate) records: smallvec::SmallVec<[Arc<Record>; EXPECTED_RECORDS]>,
    /// Unconsumed candidates per (sync, pattern): a record leaves the lists of
    /// a sync once it took part in a firing of that sync, so a linear chain of
    /// actions never rescans its past.
    candidates: SlotTable,
    /// The flow's request (its root), while it waits for its answer.
    pub(crate) pending: Option<RequestId>,
    /// The sync whose `respond` answered the request (`None` for a
    /// `respond` invoked directly), to name it if another sync answers too.
    pub(crate) answered_by: Option<&'static str>,
    /// The answer to the flow's request, once a `respond` gave it.
    pub(crate) answer: Option<Answer>,
    /// Whether an action of the flow ended in its error outcome: kept as
    /// records are filed, so that a flow without one (most) is not searched
    /// at its end for errors no sync took up.
    pub(crate) errors: bool,
    /// What is running now (concept, action, invoking sync), to say so if the
    /// request times out meanwhile.
    pub(crate) running: Option<(&'static str, &'static str, Option<&'static str>)>,
    /// For each evaluated sync, the frames left after `when` and after each
    /// `where` step in its latest evaluation.
    evaluations: smallvec::SmallVec<[(u32, crate::__private::FrameCounts); 4]>,
}

impl Flow {
    pub(crate) fn new() -> Flow {
        Flow::with_id(FlowId::next())
    }

    /// An empty flow left where a flow was moved out: it takes no id (ids
    /// start at 1, so `flow-0` is never a flow that ran).
    pub(crate) fn spent() -> Flow {
        Flow::with_id(FlowId(0))
    }

    fn with_id(id: FlowId) -> Flow {
        Flow {
            id,
            records: smallvec::SmallVec::new(),
            candidates: SlotTable::Inline(smallvec::SmallVec::new()),
            pending: None,
            answered_by: None,
            answer: None,
            errors: false,
            running: None,
            evaluations: smallvec::SmallVec::new(),
        }
    }

    /// Takes the flow's request off pending, if `request` is it and still
    /// pending: the caller (answering for the sync `by`) then gives the
    /// answer.
    pub(crate) fn accept_answer(&mut self, request: RequestId, by: Option<&'static str>) -> bool {
        if self.pending != Some(request) {
            return false;
        }
        self.pending = None;
        self.answered_by = by;
        true
    }

    /// Notes a sync's latest evaluation.
    pub(crate) fn evaluated(&mut self, sync: u32, frames: crate::__private::FrameCounts) {
        match self.evaluations.iter_mut().find(|(index, _)| *index == sync) {
            Some((_, latest)) => *latest = frames,
            None => self.evaluations.push((sync, frames)),
        }
    }

    /// The frames of a sync's latest evaluation in this flow.
    pub(crate) fn evaluation(&self, sync: u32) -> Option<&[usize]> {
        self.evaluations
            .iter()
            .find(|(index, _)| *index == sync)
            .map(|(_, frames)| frames.as_slice())
    }

    pub(crate) fn next_record_id(&self) -> RecordId {
        RecordId(self.records.len() as u32)
    }

    /// Adds a record, files it under the patterns it may fill, and returns the
    /// syncs to evaluate, in registration order.
    pub(crate) fn add(&mut self, record: Arc<Record>, slots: &[PatternSlot]) -> Triggered {
        let mut triggered = Triggered::new();
        for slot in slots {
            self.candidates.list(*slot).push(record.id.0);
            if triggered.last() != Some(&slot.sync) {
                triggered.push(slot.sync);
            }
        }
        self.records.push(record);
        triggered
    }

    /// The candidates of each of a sync's `patterns`, or `None` if some
    /// pattern has none (the sync cannot match).
    pub(crate) fn candidates(&self, sync: u32, patterns: usize) -> Option<Candidates<'_>> {
        let mut candidates = Candidates::new();
        for pattern in 0..patterns {
            let slot = PatternSlot {
                sync,
                pattern: pattern as u16,
            };
            match self.candidates.get(&slot) {
                Some(records) if !records.is_empty() => candidates.push(records.as_slice()),
                _ => return None,
            }
        }
        Some(candidates)
    }

    /// Marks `records` as used by `sync`: they never fill its patterns again.
    pub(crate) fn consume(&mut self, sync: u32, patterns: usize, records: &[RecordId]) {
        for pattern in 0..patterns {
            let slot = PatternSlot {
                sync,
                pattern: pattern as u16,
            };
            if let Some(list) = self.candidates.get_mut(&slot) {
                list.retain(|position| !records.contains(&RecordId(*position)));
            }
        }
    }
}

/// The `Requesting.respond` record that answered a flow's request. Its fields
/// become the response: moved out if the flow has let go of its records by
/// then (the usual case: they are dropped when it ends, or kept by the
/// trace ring), else copied.
pub(crate) struct Answer(pub(crate) Arc<Record<TypedRecord<Requesting>>>);

impl Answer {
    pub(crate) fn into_response(self) -> Response {
        let action = match Arc::try_unwrap(self.0) {
            Ok(record) => record.data.input,
            Err(shared) => shared.data.input.clone(),
        };
        // Only a `respond` record becomes an answer (see `Engine::perform`).
        let body = match action {
            RequestingAction::respond { fields, .. } => fields,
            RequestingAction::request { .. } => Fields::new(),
        };
        Response { body }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(sync: u32) -> PatternSlot {
        PatternSlot { sync, pattern: 0 }
    }

    #[test]
    fn the_slot_table_keeps_every_list_when_it_spills_to_a_map() {
        let mut table = SlotTable::Inline(smallvec::SmallVec::new());
        for sync in 0..(INLINE_SLOTS as u32 * 3) {
            table.list(slot(sync)).push(sync);
            table.list(slot(sync)).push(sync + 100);
            assert_eq!(
                matches!(table, SlotTable::Hashed(_)),
                sync as usize >= INLINE_SLOTS,
                "inline up to {INLINE_SLOTS} slots, hashed after"
            );
        }
        for sync in 0..(INLINE_SLOTS as u32 * 3) {
            let list = table.get(&slot(sync)).expect("every list kept");
            assert_eq!(list.as_slice(), &[sync, sync + 100]);
        }
        assert!(table.get(&slot(1_000)).is_none());
        table
            .get_mut(&slot(3))
            .expect("present")
            .retain(|position| *position != 3);
        assert_eq!(table.get(&slot(3)).map(|list| list.as_slice()), Some(&[103][..]));
    }
}
