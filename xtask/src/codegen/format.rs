//! Format: an emitted file to source text, with `prettyplease`, so the
//! output does not depend on which rustfmt a maintainer has. The tables
//! the emitters lay out themselves are checked to parse, then written
//! after the items, a blank line before each.

use super::diag::{Errors, Location};
use super::emit::{doc_blocks, RustFile};
use super::HEADER;

/// The source of one file, behind the header.
#[cfg(test)]
pub fn format(file: &RustFile) -> Result<String, Errors> {
    format_with_docs(file, &[]).map(|(text, _)| text)
}

/// [`format`] for a file emitted under [`doc_blocks::collect`] (`docs` are
/// the blocks its doc markers stand for), with the file's items as parsed
/// (for the public-API listing, which then parses nothing again).
pub fn format_with_docs(
    file: &RustFile,
    docs: &[Vec<String>],
) -> Result<(String, syn::File), Errors> {
    let internal_error = |error: syn::Error| {
        Errors::one(
            Location::File(file.path.clone().into()),
            format!("internal error: the emitted code does not parse: {error}"),
        )
    };
    let items = syn::parse2::<syn::File>(file.items.clone()).map_err(internal_error)?;
    let printed = doc_blocks::expand(&prettyplease::unparse(&items), docs, &file.path)?;
    let mut text = format!("// {HEADER}\n{printed}");
    for table in &file.tables {
        syn::parse_str::<syn::File>(table).map_err(internal_error)?;
        text.push('\n');
        text.push_str(table);
    }
    Ok((text, items))
}
