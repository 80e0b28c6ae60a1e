#[path = "../../concepts.rs"]
mod concepts;
use syncs_runtime::sync;

sync! {
    pub CreateSession
    when
        concepts::Accounts.register () : (user)
    then
        crate::concepts::Sessions.create (user)
}
fn main() {}
