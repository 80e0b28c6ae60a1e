// Names and types a concept may use without a warning: crate-private input
// types, an input named `build` or by a raw identifier (secret, and named
// without `r#` in JSON), and an error type of the action's own (converted
// as `?` would: an internal failure).
#![deny(warnings)]
use syncs_runtime::{concept, sync, ActionError, ActionSet};

mod inner {
    use syncs_runtime::{concept, ActionError};

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub(crate) struct Email(pub(crate) String);

    pub(crate) struct Mailer;

    #[concept]
    impl Mailer {
        pub(crate) async fn send(&self, to: Email) -> Result<(), ActionError> {
            let _ = to;
            Ok(())
        }
    }
}

#[derive(Debug)]
pub struct Broken;

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("broken")
    }
}

impl std::error::Error for Broken {}

pub struct Jobs;

#[concept]
impl Jobs {
    pub async fn run(&self, build: u32, #[secret] r#type: String) -> Result<(), ActionError> {
        let _ = (build, r#type);
        Ok(())
    }

    pub async fn fail(&self) -> Result<(), Broken> {
        Err(Broken)
    }

    /// A boxed error type of its own converts as well (a boxed `dyn Error`
    /// would not).
    pub async fn fail_boxed(&self) -> Result<(), Box<Broken>> {
        Err(Box::new(Broken))
    }
}

sync! {
    /// Starts a build after each send.
    pub BuildAfterSend
    when
        Mailer.send () : ()
    then
        Jobs.run (build: 7, r#type: "nightly")

    /// A keyword field may be written without `r#`, as in `Requesting`'s
    /// fields.
    pub WeeklyAfterSend
    when
        Mailer.send () : ()
    then
        Jobs.run (build: 8, type: "weekly")
}

use inner::Mailer;

fn main() {
    let schema = <JobsAction as ActionSet>::SCHEMA;
    assert_eq!(schema[0].inputs, ["build", "type"]);
    let action = JobsAction::run { build: 1, r#type: "t".into() };
    assert_eq!(action.to_redacted_json()["type"], "<redacted>");
    let _ = (BuildAfterSend, WeeklyAfterSend);
}
