#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    /// Meant as "answer with the user, or with the error": both run.
    pub RegisterAnswered
    when
        Requesting.request (path: "/register") : (request)
        Accounts.register () : (user)
    then
        Requesting.respond (request, user)
        Requesting.respond (request, error: "could not register")
}
fn main() {}
