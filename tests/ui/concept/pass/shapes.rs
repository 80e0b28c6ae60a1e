// The shapes a concept can take: unit or stateful struct, secret inputs,
// inputs of the module's own types (also under a module named like the
// input), `()` and struct success forms, plain
// and fallible queries, no queries, only queries.
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError, ActionSet, Concept};

pub struct Vault;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Opened {
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub key: String,
}

#[concept]
impl Vault {
    /// Opens the vault.
    pub async fn open(&self, user: String, #[secret] password: String) -> Result<Opened, ActionError> {
        Ok(Opened { token: format!("{user}:{}", password.len()) })
    }

    pub async fn close(&self, token: String) -> Result<(), ActionError> {
        let _ = token;
        Ok(())
    }

    pub async fn _entries(&self) -> Vec<Entry> {
        Vec::new()
    }

    pub async fn _entry(&self, key: String) -> Result<Vec<Entry>, ActionError> {
        Ok(vec![Entry { key }])
    }
}

#[derive(Default)]
pub struct Clock {
    ticks: std::sync::atomic::AtomicU64,
}

#[concept]
impl Clock {
    pub async fn tick(&self) -> Result<(), ActionError> {
        self.ticks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

/// Types in a module named like the input that takes them.
pub mod tag {
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Tag(pub String);
}

pub struct Catalog;

#[concept]
impl Catalog {
    /// An input and a query input of a type of this module.
    pub async fn add(&self, entry: Entry) -> Result<(), ActionError> {
        let _ = entry;
        Ok(())
    }

    /// An input whose type's path starts with the input's name.
    pub async fn label(&self, tag: tag::Tag) -> Result<(), ActionError> {
        let _ = tag;
        Ok(())
    }

    /// Two actions whose names and inputs join to the same words
    /// (`get` + `user_id`, `get_user` + `id`).
    pub async fn get(&self, user_id: String) -> Result<(), ActionError> {
        let _ = user_id;
        Ok(())
    }

    pub async fn get_user(&self, id: u32) -> Result<(), ActionError> {
        let _ = id;
        Ok(())
    }

    pub async fn _all(&self) -> Vec<Entry> {
        Vec::new()
    }

    pub async fn _like(&self, entry: Entry) -> Vec<Entry> {
        vec![entry]
    }
}

fn main() {
    assert_eq!(<Vault as Concept>::NAME, "Vault");
    let action = VaultAction::open { user: "u".into(), password: "p".into() };
    assert_eq!(action.to_redacted_json()["password"], "<redacted>");
    assert_eq!(<ClockAction as ActionSet>::SCHEMA.len(), 1);
    assert_eq!(<CatalogAction as ActionSet>::SCHEMA.len(), 4);
}
