// The seed's eight auth syncs, as the example app writes them.
#[path = "../../../../examples/auth/concepts.rs"]
mod concepts;
#[path = "../../../../examples/auth/syncs.rs"]
mod syncs;

fn main() {
    let engine = syncs::register(concepts::in_memory())
        .build()
        .expect("all concepts registered");
    assert_eq!(engine.syncs().len(), 10);
}
