//! A crate that depends on `syncs-runtime` under another name (`syncs`):
//! the macros' generated code must find it there. Its test runs a flow.

use serde::{Deserialize, Serialize};
use syncs::{concept, sync, ActionError};

/// Greets.
#[derive(Default)]
pub struct Greeter;

/// A greeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Greeting {
    /// Its text.
    pub text: String,
}

#[concept]
impl Greeter {
    /// Greets `name`.
    #[infallible]
    pub async fn greet(&self, name: String) -> Result<Greeting, ActionError> {
        Ok(Greeting {
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
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_flow_runs_with_the_runtime_renamed() {
        let engine = syncs::Engine::builder()
            .concept(super::Greeter)
            .sync(super::Greet)
            .sync(super::Greeted)
            .strict_checks(true)
            .build()
            .expect("engine");
        let answer = engine
            .request("/greet", serde_json::json!({"name": "ann"}))
            .await
            .expect("answered");
        assert_eq!(answer.body["text"], "hello, ann");
    }
}
