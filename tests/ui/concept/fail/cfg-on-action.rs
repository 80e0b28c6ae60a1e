use syncs_runtime::{concept, ActionError};

pub struct Flags;

#[concept]
impl Flags {
    pub async fn set(&self, name: String) -> Result<(), ActionError> {
        let _ = name;
        Ok(())
    }

    #[cfg(test)]
    pub async fn debug_only(&self) -> Result<(), ActionError> {
        Ok(())
    }
}

fn main() {}
