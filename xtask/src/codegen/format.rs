//! Format: emitted tokens to source text, with `prettyplease`, so the
//! output does not depend on which rustfmt a maintainer has.

use proc_macro2::TokenStream;

use super::diag::{Errors, Location};
use super::HEADER;

/// The source of one file, behind the header.
pub fn format(path: &str, tokens: TokenStream) -> Result<String, Errors> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| {
        Errors::one(
            Location::File(path.into()),
            format!("internal error: the emitted code does not parse: {error}"),
        )
    })?;
    Ok(format!("// {HEADER}\n{}", prettyplease::unparse(&file)))
}
