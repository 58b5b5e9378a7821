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
    format_part(file.clone()).map(|(text, _)| file_text([text.as_str()]))
}

/// One part of a file, behind no header: its items, then its tables. A
/// file whose parts are formatted one by one and joined by [`file_text`]
/// reads as the file formatted whole, as prettyplease ends every item with
/// its last line and starts none with anything that depends on the item
/// before: so the parts of one file can be formatted on different cores.
/// The file is taken: syn reads its tokens without copying them first.
pub fn format_part(file: RustFile) -> Result<(String, syn::File), Errors> {
    let internal_error = |error: syn::Error| {
        Errors::one(
            Location::File(file.path.clone().into()),
            format!("internal error: the emitted code does not parse: {error}"),
        )
    };
    let items = syn::parse2::<syn::File>(file.items).map_err(internal_error)?;
    let mut text = doc_blocks::expand(&prettyplease::unparse(&items), &file.docs, &file.path)?;
    for table in &file.tables {
        syn::parse_str::<syn::File>(table).map_err(internal_error)?;
        text.push('\n');
        text.push_str(table);
    }
    Ok((text, items))
}

/// The text of a file: the header, then its parts in order.
pub fn file_text<'p>(parts: impl IntoIterator<Item = &'p str>) -> String {
    let mut text = format!("// {HEADER}\n");
    for part in parts {
        text.push_str(part);
    }
    text
}
