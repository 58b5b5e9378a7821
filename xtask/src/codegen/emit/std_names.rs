//! The names of `std` in emitted code: bare, as the prelude gives them
//! (`Option<String>`), in a file that defines no item of one of those
//! names, and as full paths (`::std::option::Option`) in any other file (a
//! model named `Result` is one).
//!
//! Bare names read like a hand-written crate, and are a seventh of the
//! tokens that formatting parses and lays out. Emitters spell each name
//! through the file's [`Spelling`] (in tokens, `cx.std([OPTION, STRING])`
//! of [`super::FileContext`]; as text, [`Spelling::text`]).

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream};
use quote::TokenStreamExt;

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

/// How a file writes the names of `std`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// As the prelude gives them: `Option`.
    Bare,
    /// As full paths: `::std::option::Option`.
    Full,
}

impl Spelling {
    /// The spelling of a file that defines the items `defined`: bare unless
    /// one of them is a name of `std`.
    pub fn for_file<'a>(defined: impl IntoIterator<Item = &'a str>) -> Self {
        let mut defined = defined.into_iter();
        if defined.any(|name| ALL.iter().any(|std_name| std_name.bare == name)) {
            Spelling::Full
        } else {
            Spelling::Bare
        }
    }

    /// The name as text.
    pub fn text(self, name: StdName) -> String {
        match self {
            Spelling::Bare => name.bare.to_owned(),
            Spelling::Full => format!("::std::{}", name.path.join("::")),
        }
    }

    /// The name as tokens.
    pub fn tokens(self, name: StdName) -> TokenStream {
        let ident = |text: &str| Ident::new(text, Span::call_site());
        let mut tokens = TokenStream::new();
        match self {
            Spelling::Bare => tokens.append(ident(name.bare)),
            Spelling::Full => {
                for segment in std::iter::once("std").chain(name.path.iter().copied()) {
                    tokens.append(Punct::new(':', Spacing::Joint));
                    tokens.append(Punct::new(':', Spacing::Alone));
                    tokens.append(ident(segment));
                }
            }
        }
        tokens
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn names_are_bare_unless_the_file_defines_one_of_them() {
        let spelled = |spelling: Spelling| {
            let (option, string) = (spelling.tokens(OPTION), spelling.tokens(STRING));
            quote!(#option<#string>).to_string()
        };
        assert_eq!(
            spelled(Spelling::Full),
            ":: std :: option :: Option < :: std :: string :: String >"
        );
        assert_eq!(spelled(Spelling::for_file(["Source"])), "Option < String >");
        assert_eq!(
            Spelling::for_file(["Source", "Result"]),
            Spelling::Full,
            "a file that defines `Result`"
        );
        assert_eq!(Spelling::Bare.text(VEC), "Vec");
        assert_eq!(Spelling::Full.text(VEC), "::std::vec::Vec");
        // A macro's path is its crate and name alone.
        assert_eq!(Spelling::Full.text(VEC_MACRO), "::std::vec");
    }
}
