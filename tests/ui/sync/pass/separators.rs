// Patterns, steps and actions may be separated by `,` or `;`, as in the
// TypeScript engine's lists, as well as by line breaks alone.
#[path = "../../concepts.rs"]
mod concepts;
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub RegisterAndLogIn
    when
        Requesting.request (path: "/register", username, password) : (request),
        Accounts.register (username, password) : (user);
    where
        Sessions._count (user) : (count),
        if count == 0;
    then
        Sessions.create (user),
        Requesting.respond (request, user);

    pub Next
    when Requesting.request (path: "/next") : (request)
    then Requesting.respond (request, next: true)
}

fn main() {
    let sync = syncs_runtime::Synchronization::compile(&RegisterAndLogIn);
    assert_eq!(sync.when().len(), 2);
    assert_eq!(sync.then().len(), 2);
    let _ = syncs_runtime::Synchronization::compile(&Next);
}
