//! Collected diagnostics: every independent mistake is reported in one build,
//! each at the user's token.

use proc_macro2::TokenStream;
use std::fmt::Display;

#[derive(Default)]
pub(crate) struct Diagnostics {
    errors: Option<syn::Error>,
}

impl Diagnostics {
    pub(crate) fn error(&mut self, span: proc_macro2::Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    pub(crate) fn error_at(&mut self, tokens: impl quote::ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.errors {
            Some(errors) => errors.combine(error),
            None => self.errors = Some(error),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_none()
    }

    pub(crate) fn to_compile_errors(&self) -> TokenStream {
        self.errors
            .as_ref()
            .map(syn::Error::to_compile_error)
            .unwrap_or_default()
    }
}

/// The closest of `candidates` to `name`, if close enough to be a likely typo.
/// Two letters swapped count as one edit (`titel` is one from `title`). A
/// word and another form of it count too, sharing all but the shorter's
/// last letter and differing in at most three of the longer's
/// (`copy` and `copies`, `entry` and `entries`).
pub(crate) fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let same_stem = |candidate: &str| {
        let shared = name
            .chars()
            .zip(candidate.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let (one, other) = (name.chars().count(), candidate.chars().count());
        shared >= 3 && shared + 1 >= one.min(other) && one.max(other) <= shared + 3
    };
    candidates
        .into_iter()
        .map(|candidate| (strsim::osa_distance(name, candidate), candidate))
        .filter(|(distance, candidate)| {
            *distance <= (candidate.len().max(name.len()) / 3).max(1) || same_stem(candidate)
        })
        // On a tie, a candidate the name is the start of wins (`wher` → `where`).
        .min_by_key(|(distance, candidate)| (*distance, !candidate.starts_with(name)))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_but_not_unrelated_words() {
        assert_eq!(closest("thn", ["when", "where", "then"]), Some("then"));
        assert_eq!(closest("wher", ["when", "where", "then"]), Some("where"));
        assert_eq!(closest("banana", ["when", "where", "then"]), None);
        assert_eq!(closest("titel", ["owner", "title"]), Some("title"));
        assert_eq!(closest("copy", ["title", "copies"]), Some("copies"));
        assert_eq!(closest("entries", ["entry", "end"]), Some("entry"));
        assert_eq!(closest("id", ["idea"]), None);
        assert_eq!(closest("cat", ["catalogue"]), None);
    }
}
