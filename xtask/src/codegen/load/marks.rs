//! Schemas bundled from other files are named only once all are known;
//! until then the bundle refers to each by its slot, marked
//! `\0{slot}\0` where its name will go. This is the one place that
//! writes and reads those marks.

use serde_json::Value;

use super::super::diag::escape_pointer_segment;

/// Marks a named schema whose final name is not chosen yet: `\0{slot}\0`.
const SLOT_MARK: char = '\0';

/// The mark of `slot`.
pub(super) fn slot_mark(slot: usize) -> String {
    format!("{SLOT_MARK}{slot}{SLOT_MARK}")
}

/// The slot a `$ref` to a schema not yet named names.
pub(super) fn marked_slot(reference: &str) -> Option<usize> {
    let slot = reference
        .strip_prefix("#/components/schemas/")?
        .strip_prefix(SLOT_MARK)?
        .strip_suffix(SLOT_MARK)?;
    slot.parse().ok()
}

/// The slot whose bundle pointer `pointer` is, or is under.
pub(super) fn marked_slot_prefix(pointer: &str) -> Option<usize> {
    let rest = pointer
        .strip_prefix("/components/schemas/")?
        .strip_prefix(SLOT_MARK)?;
    rest.split(SLOT_MARK).next()?.parse().ok()
}

/// Replaces every slot mark in `text` with its escaped (pointer) name.
/// Spec text cannot hold NUL (see `read::parse_file`), so every mark is ours.
pub(super) fn replace_slot_marks(text: &str, names: &[String]) -> String {
    if !text.contains(SLOT_MARK) {
        return text.to_owned();
    }
    let mut result = String::with_capacity(text.len());
    let mut parts = text.split(SLOT_MARK);
    result.push_str(parts.next().unwrap_or_default());
    while let Some(number) = parts.next() {
        match number
            .parse::<usize>()
            .ok()
            .and_then(|slot| names.get(slot))
        {
            Some(name) => result.push_str(&escape_pointer_segment(name)),
            None => result.push_str(number),
        }
        result.push_str(parts.next().unwrap_or_default());
    }
    result
}

/// Gives every `$ref` to a slot its final name.
pub(super) fn rename_slots(value: &mut Value, names: &[String]) {
    match value {
        Value::String(text) if text.starts_with("#/components/schemas/\0") => {
            *text = replace_slot_marks(text, names);
        }
        Value::Object(object) => object.values_mut().for_each(|v| rename_slots(v, names)),
        Value::Array(items) => items.iter_mut().for_each(|v| rename_slots(v, names)),
        _ => {}
    }
}
