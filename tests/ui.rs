//! Compile-time behaviour of the macros: what compiles, and the errors a
//! mistake gets (each `.stderr` is read and judged by a person).

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/sync/pass/*.rs");
    cases.compile_fail("tests/ui/sync/fail/*.rs");
    cases.pass("tests/ui/concept/pass/*.rs");
    cases.compile_fail("tests/ui/concept/fail/*.rs");
}
