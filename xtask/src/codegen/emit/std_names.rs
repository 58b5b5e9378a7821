//! The names of `std` in emitted code: bare, as the prelude gives them
//! (`Option<String>`), in a file that defines no item of one of those
//! names, and as full paths (`::std::option::Option`) in any other file (a
//! model named `Result` is one), and outside [`bare_unless_defined`].
//!
//! Bare names read like a hand-written crate, and are a seventh of the
//! tokens that formatting parses and lays out. Emitters write each name as
//! its constant here (`quote!(#OPTION<#STRING>)`), or its text for what
//! they lay out themselves ([`text`]).

use std::cell::Cell;

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

/// A name of `std` the emitted code uses, and the path to it.
#[derive(Debug, Clone, Copy)]
pub struct StdName {
    /// As the prelude gives it.
    bare: &'static str,
    /// The segments after `::std`, the last being the bare name.
    path: &'static [&'static str],
}

macro_rules! std_names {
    ($($constant:ident = $($segment:ident)::+;)*) => {
        $(
            pub const $constant: StdName = StdName {
                bare: last_segment(&[$(stringify!($segment)),+]),
                path: &[$(stringify!($segment)),+],
            };
        )*
        /// Every name: a file that defines one of them writes them all in full.
        const ALL: &[StdName] = &[$($constant),*];
    };
}

std_names! {
    OPTION = option::Option;
    SOME = option::Option::Some;
    NONE = option::Option::None;
    RESULT = result::Result;
    OK = result::Result::Ok;
    ERR = result::Result::Err;
    STRING = string::String;
    VEC = vec::Vec;
    BOX = boxed::Box;
    CLONE = clone::Clone;
    COPY = marker::Copy;
    DEBUG = fmt::Debug;
    DEFAULT = default::Default;
    EQ = cmp::Eq;
    PARTIAL_EQ = cmp::PartialEq;
    ORD = cmp::Ord;
    PARTIAL_ORD = cmp::PartialOrd;
    HASH = hash::Hash;
    FROM = convert::From;
    INTO = convert::Into;
    INTO_ITERATOR = iter::IntoIterator;
    TO_OWNED = borrow::ToOwned;
    TO_STRING = string::ToString;
    VEC_MACRO = vec;
}

const fn last_segment(segments: &[&'static str]) -> &'static str {
    segments[segments.len() - 1]
}

thread_local! {
    /// Whether the file being emitted on this thread writes names bare.
    static BARE: Cell<bool> = const { Cell::new(false) };
}

/// Runs `emit` for a file that defines the items `defined`: its names of
/// `std` are bare unless one of them is defined there.
pub fn bare_unless_defined<'a, T>(
    defined: impl IntoIterator<Item = &'a str>,
    emit: impl FnOnce() -> T,
) -> T {
    let mut defined = defined.into_iter();
    let bare = !defined.any(|name| ALL.iter().any(|std_name| std_name.bare == name));
    let before = BARE.with(|cell| cell.replace(bare));
    let value = emit();
    BARE.with(|cell| cell.set(before));
    value
}

fn is_bare() -> bool {
    BARE.with(Cell::get)
}

/// The name as the file being emitted writes it, as text.
pub fn text(name: StdName) -> String {
    if is_bare() {
        name.bare.to_owned()
    } else {
        format!("::std::{}", name.path.join("::"))
    }
}

impl ToTokens for StdName {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let ident = |text: &str| Ident::new(text, Span::call_site());
        if is_bare() {
            tokens.append(ident(self.bare));
            return;
        }
        for segment in std::iter::once("std").chain(self.path.iter().copied()) {
            tokens.append(Punct::new(':', Spacing::Joint));
            tokens.append(Punct::new(':', Spacing::Alone));
            tokens.append(ident(segment));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn names_are_bare_unless_the_file_defines_one_of_them() {
        let emit = || quote!(#OPTION<#STRING>).to_string();
        assert_eq!(
            emit(),
            ":: std :: option :: Option < :: std :: string :: String >"
        );
        assert_eq!(bare_unless_defined(["Source"], emit), "Option < String >");
        assert_eq!(
            bare_unless_defined(["Source", "Result"], emit),
            ":: std :: option :: Option < :: std :: string :: String >"
        );
        assert_eq!(bare_unless_defined(["Source"], || text(VEC)), "Vec");
        assert_eq!(text(VEC), "::std::vec::Vec");
        // A macro's path is its crate and name alone.
        assert_eq!(text(VEC_MACRO), "::std::vec");
    }
}
