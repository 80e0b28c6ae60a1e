//! A downstream crate as a strict user writes one: it depends on
//! `syncs-runtime` under another name (`syncs`), which the macros'
//! generated code must find, and it denies the lints such crates turn on
//! (rustc's pedantic ones, clippy's `pedantic` and `nursery` under CI's
//! `cargo clippy`), which the generated code must pass. Its test runs a
//! flow.
#![deny(
    missing_docs,
    missing_debug_implementations,
    missing_copy_implementations,
    unreachable_pub,
    unused_qualifications,
    unused_results,
    trivial_casts,
    trivial_numeric_casts,
    single_use_lifetimes,
    unused_lifetimes,
    elided_lifetimes_in_paths,
    let_underscore_drop,
    variant_size_differences,
    unit_bindings
)]
#![deny(clippy::pedantic, clippy::nursery)]

use serde::{Deserialize, Serialize};
use syncs::{concept, sync, ActionError};

/// Greets.
#[derive(Debug, Default, Clone, Copy)]
pub struct Greeter;

/// A greeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Greeting {
    /// Its text.
    pub text: String,
}

#[concept]
impl Greeter {
    /// Greets `name`.
    ///
    /// # Errors
    ///
    /// None: it is infallible.
    #[infallible]
    pub async fn greet(&self, name: String) -> Result<Greeting, ActionError> {
        Ok(Greeting {
            text: format!("hello, {name}"),
        })
    }

    /// Greets `name` politely, unless `name` is empty.
    ///
    /// # Errors
    ///
    /// The `error` outcome for an empty name.
    pub async fn greet_politely(&self, name: String) -> Result<Greeting, ActionError> {
        if name.is_empty() {
            return Err(ActionError::fail("no name to greet"));
        }
        Ok(Greeting {
            text: format!("good day, {name}"),
        })
    }

    /// Greets `name` in a mood (an input named with a leading `_`, as a
    /// strict crate may have: the generated structs named after the inputs
    /// must pass `clippy::pub_underscore_fields`).
    ///
    /// # Errors
    ///
    /// None: it is infallible.
    #[infallible]
    pub async fn greet_in_mood(&self, name: String, _mood: String) -> Result<Greeting, ActionError> {
        Ok(Greeting {
            text: format!("hi, {name}"),
        })
    }

    /// How `name` is greeted.
    pub async fn _greeting(&self, name: String) -> Option<Greeting> {
        Some(Greeting {
            text: format!("hello, {name}"),
        })
    }
}

sync! {
    /// `/greet {"name": ...}` greets.
    pub Greet
    when
        Requesting.request (path: "/greet", name) : ()
    then
        Greeter.greet (name)

    /// Answers with the greeting.
    pub Greeted
    when
        Requesting.request (path: "/greet") : (request)
        Greeter.greet () : (text)
    then
        Requesting.respond (request, text)

    /// `/preview {"name": ...}` answers with the greeting, greeting no one.
    pub Preview
    when
        Requesting.request (path: "/preview", name) : (request)
    where
        Greeter._greeting (name) : (text)
    then
        Requesting.respond (request, text)

    /// `/greet-politely {"name": ...}` greets politely.
    pub GreetPolitely
    when
        Requesting.request (path: "/greet-politely", name) : ()
    then
        Greeter.greet_politely (name)

    /// Answers with the polite greeting.
    pub GreetedPolitely
    when
        Requesting.request (path: "/greet-politely") : (request)
        Greeter.greet_politely () : (text)
    then
        Requesting.respond (request, text)

    /// No name: 422.
    pub NoOneToGreet
    when
        Requesting.request (path: "/greet-politely") : (request)
        Greeter.greet_politely () : (error)
    then
        Requesting.respond (request, http_status: 422, error)

    /// Greeting the world greets it politely too. (Compiled for the lints
    /// on literals matched with a typed input and output, which are the
    /// user's tokens; not registered.)
    pub AlsoPolitely
    when
        Greeter.greet (name: "world") : (text: "hello, world")
    then
        Greeter.greet_politely (name: "world")

    /// Greets in the mood of the request's greeting, its input `_mood`
    /// given and matched by name. (Compiled for the lints on an input
    /// named with a leading `_`; not registered.)
    pub InMood
    when
        Requesting.request (path: "/mood", name, mood) : ()
        Greeter.greet_in_mood (_mood: "calm") : ()
    then
        Greeter.greet_in_mood (name, _mood: mood)
}

/// Concepts and syncs in a private module: their generated items are
/// `pub`, and must not trip `unreachable_pub`. (clippy's
/// `redundant_pub_crate` asks for the opposite of `unreachable_pub`: a
/// crate chooses one.)
#[allow(clippy::redundant_pub_crate)]
mod private {
    use syncs::{concept, sync, ActionError};

    /// Counts.
    #[derive(Debug, Default, Clone, Copy)]
    pub(crate) struct Counter;

    /// A count.
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub(crate) struct Count {
        /// How many.
        pub(crate) count: u32,
    }

    #[concept]
    impl Counter {
        /// Counts `items`. (The `expect` is how strict crates silenced
        /// `unused_async` before `#[concept]` did: it must still hold.)
        ///
        /// # Errors
        ///
        /// None: it is infallible.
        #[infallible]
        #[expect(clippy::unused_async)]
        pub(crate) async fn count(&self, items: Vec<String>) -> Result<Count, ActionError> {
            Ok(Count {
                count: u32::try_from(items.len()).unwrap_or(u32::MAX),
            })
        }
    }

    sync! {
        /// `/count {"items": [...]}` counts.
        pub(crate) CountItems
        when
            Requesting.request (path: "/count", items) : ()
        then
            Counter.count (items)

        /// Answers with the count.
        pub(crate) Counted
        when
            Requesting.request (path: "/count") : (request)
            Counter.count () : (count)
        then
            Requesting.respond (request, count)
    }
}

/// The engine of this crate's concepts and syncs.
///
/// # Errors
///
/// A static check finding (checks are strict here).
pub fn engine() -> Result<syncs::Engine, syncs::BuildError> {
    syncs::Engine::builder()
        .concept(Greeter)
        .sync(Greet)
        .sync(Greeted)
        .sync(Preview)
        .sync(GreetPolitely)
        .sync(GreetedPolitely)
        .sync(NoOneToGreet)
        .concept(private::Counter)
        .sync(private::CountItems)
        .sync(private::Counted)
        .strict_checks(true)
        .build()
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn flows_run_with_the_runtime_renamed() {
        let engine = super::engine().expect("engine");
        let answer = engine
            .request("/greet", serde_json::json!({"name": "ann"}))
            .await
            .expect("answered");
        assert_eq!(answer.body["text"], "hello, ann");
        let answer = engine
            .request("/preview", serde_json::json!({"name": "bo"}))
            .await
            .expect("answered");
        assert_eq!(answer.body["text"], "hello, bo");
        let answer = engine
            .request("/greet-politely", serde_json::json!({"name": ""}))
            .await
            .expect("answered");
        assert_eq!(answer.body["http_status"], 422);
        assert_eq!(answer.body["error"], "no name to greet");
        let answer = engine
            .request("/count", serde_json::json!({"items": ["a", "b"]}))
            .await
            .expect("answered");
        assert_eq!(answer.body["count"], 2);
    }
}
