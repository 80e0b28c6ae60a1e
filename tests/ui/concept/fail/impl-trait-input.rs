use std::borrow::Cow;
use syncs_runtime::{concept, ActionError};

pub struct Mailer;

#[concept]
impl Mailer {
    pub async fn send(&self, to: impl Into<String> + Send) -> Result<(), ActionError> {
        let _ = to.into();
        Ok(())
    }

    pub async fn reply(&self, text: Cow<'static, str>) -> Result<(), ActionError> {
        let _ = text;
        Ok(())
    }
}

fn main() {}
