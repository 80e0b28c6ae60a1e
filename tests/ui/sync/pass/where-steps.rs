// Every where-step: query (fan-out), guard, let (with and without a type),
// collect and absence.
#[path = "../../concepts.rs"]
mod concepts;
use concepts::*;
use syncs_runtime::sync;

sync! {
    /// Answers with the names of a user, counted.
    pub Names
    when
        Requesting.request (path: "/names", user) : (request)
    where
        Sessions._count (user) : (count)
        if count > 0
        Accounts._get_name (user) : (name)
        let shout = name.to_uppercase()
        let length: usize = shout.len()
        collect (name, shout, length) as names
    then
        Requesting.respond (request, names, count)

    /// A query after the fan-out whose output names a variable bound
    /// before it compares, and `collect` need not collect it.
    pub CountedNames
    when
        Requesting.request (path: "/counted", user, count) : (request)
    where
        Accounts._get_name (user) : (name)
        Sessions._count (user) : (count)
        collect (name) as names
    then
        Requesting.respond (request, names)

    pub NoSession
    when
        Requesting.request (path: "/lonely", user) : (request)
    where
        not Sessions._count (user) : (count: 0)
        not Accounts._get_name (user)
    then
        Requesting.respond (request, lonely: true)
}

fn main() {
    let _ = syncs_runtime::Synchronization::compile(&Names);
    let _ = syncs_runtime::Synchronization::compile(&NoSession);
    let _ = syncs_runtime::Synchronization::compile(&CountedNames);
}
