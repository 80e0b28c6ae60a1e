// A request field given to a concept's input takes that input's type in
// `where` too, before the step or action that gives it: a guard can call
// its methods.
#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub RegisterNonBlank
    when
        Requesting.request (path: "/register", username, password) : ()
    where
        if !username.trim().is_empty()
    then
        Accounts.register (username, password)

    /// Typed by a `let` that takes it whole: `limit` is a `u32` in the
    /// guard before it, as a field given to an input would be.
    pub FirstNames
    when
        Requesting.request (path: "/names", user, limit) : (request)
    where
        if limit > 0
        let most: u32 = limit
        Accounts._get_name (user) : (name)
    then
        Requesting.respond (request, name, most)

    /// A `let` whose type leaves a part to inference types nothing: `tag`
    /// stays an `Option<serde_json::Value>`.
    pub TagGiven
    when
        Requesting.request (path: "/tags", tag?) : (request)
    where
        let given: Option<_> = tag
        if given.is_some()
    then
        Requesting.respond (request, tagged: true)
}

fn main() {
    let _ = (RegisterNonBlank, FirstNames, TagGiven);
}
