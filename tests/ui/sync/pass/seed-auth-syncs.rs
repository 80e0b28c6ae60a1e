// The seed's eight auth syncs, as the example app writes them.
#[path = "../../../../examples/auth/concepts.rs"]
mod concepts;
#[path = "../../../../examples/auth/syncs.rs"]
mod syncs;

fn main() {
    let builder = syncs::register(
        syncs_runtime::Engine::builder()
            .concept(concepts::UserAuthentication::default())
            .concept(concepts::Sessioning::default()),
    );
    let engine = builder.build().expect("all concepts registered");
    assert_eq!(engine.syncs().len(), 10);
}
