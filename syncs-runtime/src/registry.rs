//! The registered concept instances, looked up by type.

use rustc_hash::FxHashMap;
use std::any::TypeId;
use std::sync::Arc;

use crate::concept::{Concept, InternalError, SharedConcept};

/// The concepts of an engine. Built once; read without locks afterwards.
#[derive(Default)]
pub(crate) struct Registry {
    concepts: FxHashMap<TypeId, (&'static str, SharedConcept)>,
}

impl Registry {
    pub(crate) fn insert<C: Concept>(&mut self, concept: Arc<C>) -> bool {
        use crate::concept::ActionSet;
        let schema = <C::Action as ActionSet>::SCHEMA;
        crate::trace::register_secret_names(schema.iter().flat_map(|action| {
            action
                .secrets
                .iter()
                .chain(action.outcome_secrets.iter())
                .copied()
        }));
        crate::trace::register_secret_names(C::QUERY_SECRETS.iter().copied());
        self.concepts
            .insert(TypeId::of::<C>(), (C::NAME, concept))
            .is_none()
    }

    pub(crate) fn contains(&self, concept: TypeId) -> bool {
        self.concepts.contains_key(&concept)
    }

    pub(crate) fn get<C: Concept>(&self) -> Result<&C, InternalError> {
        self.concepts
            .get(&TypeId::of::<C>())
            .and_then(|(_, concept)| concept.downcast_ref::<C>())
            .ok_or_else(|| InternalError::new(format!("concept {} is not registered", C::NAME)))
    }

    pub(crate) fn get_arc<C: Concept>(&self) -> Option<Arc<C>> {
        self.concepts
            .get(&TypeId::of::<C>())
            .and_then(|(_, concept)| concept.clone().downcast::<C>().ok())
    }
}
