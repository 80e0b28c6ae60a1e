// Literals of each JSON type (string, number, boolean, null, array, object),
// `name: variable` aliases, shorthands, a field named by a keyword, and several
// syncs in one call.
#[path = "../../concepts.rs"]
mod concepts;
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Literals
    when
        Requesting.request (path: "/literals", flag: true, ratio: 0.5, count: -3, nothing: null, pair: [1, 2], shape: {"kind": "square"}) : (request)
        Accounts.register (username: "alice") : (user: who)
    where
        Sessions._count (user: who) : (count: 1)
    then
        Sessions.create (user: who)
        Sessions.create (user: "bob")
        Requesting.respond (request, text: "s", number: 42, negative: -1.5, yes: false, none: null, who, list: ["a", 1, true], object: {"k": [null, 2.5]})

    pub Errors
    when
        Requesting.request (path: "/register", username, password) : (request)
        Accounts.register (username, password) : (error: message)
    then
        Requesting.respond (request, error: message)

    /// A field named by a keyword, bound to a variable of another name.
    pub KeywordField
    when
        Requesting.request (path: "/things", type: kind) : (request)
    then
        Requesting.respond (request, type: kind)
}

fn main() {
    let _ = syncs_runtime::Synchronization::compile(&Literals);
    let _ = syncs_runtime::Synchronization::compile(&Errors);
    let keyword = syncs_runtime::Synchronization::compile(&KeywordField);
    assert_eq!(keyword.when()[0].open_fields[0].name, "type");
}
