//! Copies of one schema. SailPoint's per-resource specs give every resource
//! its own copy of the schemas it uses (`apis/roles/schemas/owner.yaml`,
//! `apis/sources/schemas/owner.yaml`): copies that say the same thing are
//! one schema, and become one type.
//!
//! Two schemas are copies when they have the same plain name (the file
//! stem, or the last segment of the pointer) and the same content, where a
//! `$ref` in them counts as equal when the schemas it names are copies in
//! turn. That is found by refinement: start from the groups of equal names,
//! and split a group while its members' contents differ under the current
//! grouping, until no group splits (recursive schemas included).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::super::diag::{Location, Warning};
use super::super::type_names::plain_schema_name;
use super::super::warnings::WarningKind;

/// A schema bundled from another file, as the search for copies sees it.
pub(super) struct Bundled<'a> {
    pub file: &'a Path,
    pub pointer: &'a str,
    /// The root's component that names it: such a schema is nobody's copy.
    pub component_name: Option<&'a str>,
    /// Its content, with `$ref`s to other bundled schemas written so that
    /// `slot_of` finds them.
    pub value: &'a Value,
}

/// For each schema, the index of the group of copies it is in. Groups are
/// numbered by their first member, so `group[i] == i` for the first copy.
pub(super) fn copy_groups(
    schemas: &[Bundled<'_>],
    slot_of: &impl Fn(&str) -> Option<usize>,
) -> Vec<usize> {
    let names: Vec<String> = schemas
        .iter()
        .map(|schema| match schema.component_name {
            Some(name) => format!("component {name}"),
            None => format!("plain {}", plain_schema_name(schema.file, schema.pointer)),
        })
        .collect();
    let mut group = number_by_first(names.iter().map(String::as_str));
    loop {
        let contents: Vec<String> = schemas
            .iter()
            .enumerate()
            .map(|(index, schema)| {
                let mut text = format!("{}\u{1}", group[index]);
                write_canonical(schema.value, &group, slot_of, &mut text);
                text
            })
            .collect();
        let refined = number_by_first(contents.iter().map(String::as_str));
        let before = group_count(&group);
        let after = group_count(&refined);
        group = refined;
        if after == before {
            return group;
        }
    }
}

/// A warning for each group of copies of a plain name beyond the first:
/// the schemas differ, so each is a type of its own (`type_name` of a
/// schema's index), named after its folders.
pub(super) fn differing_copies(
    schemas: &[Bundled<'_>],
    group: &[usize],
    type_name: &impl Fn(usize) -> String,
    slot_of: &impl Fn(&str) -> Option<usize>,
) -> Vec<Warning> {
    let mut firsts_by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, schema) in schemas.iter().enumerate() {
        if group[index] == index && schema.component_name.is_none() {
            let plain = plain_schema_name(schema.file, schema.pointer);
            firsts_by_name.entry(plain).or_default().push(index);
        }
    }
    let mut warnings = Vec::new();
    for (plain, firsts) in firsts_by_name {
        let Some((&first, others)) = firsts.split_first() else {
            continue;
        };
        let first_schema = &schemas[first];
        for &other in others {
            let schema = &schemas[other];
            let found = differences(first_schema.value, schema.value, group, slot_of);
            warnings.push(Warning {
                kind: WarningKind::SchemaCopiesDiffer,
                location: Location::pointer(schema.file, schema.pointer),
                message: format!(
                    "this copy of `{plain}` differs from {} in {}: it is the type `{}`, that one `{}`",
                    Location::pointer(first_schema.file, first_schema.pointer),
                    found.join(", "),
                    type_name(other),
                    type_name(first),
                ),
            });
        }
    }
    warnings
}

/// Where two schemas of one plain name that are not copies differ: the
/// properties (by name) or, outside `properties`, the keywords whose values
/// differ, sorted.
fn differences(
    first: &Value,
    second: &Value,
    group: &[usize],
    slot_of: &impl Fn(&str) -> Option<usize>,
) -> Vec<String> {
    let mut found = Vec::new();
    collect_differences(first, second, group, slot_of, &mut Vec::new(), &mut found);
    found.sort();
    found.dedup();
    found
}

fn collect_differences<'v>(
    first: &'v Value,
    second: &'v Value,
    group: &[usize],
    slot_of: &impl Fn(&str) -> Option<usize>,
    path: &mut Vec<&'v str>,
    found: &mut Vec<String>,
) {
    if let (Value::Object(first), Value::Object(second)) = (first, second) {
        let mut keys: Vec<&String> = first.keys().chain(second.keys()).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            match (first.get(key), second.get(key)) {
                (Some(a), Some(b)) => {
                    path.push(key);
                    collect_differences(a, b, group, slot_of, path, found);
                    path.pop();
                }
                _ => {
                    path.push(key);
                    found.push(describe(path));
                    path.pop();
                }
            }
        }
        return;
    }
    if let (Value::Array(first), Value::Array(second)) = (first, second) {
        if first.len() == second.len() {
            for (a, b) in first.iter().zip(second) {
                collect_differences(a, b, group, slot_of, path, found);
            }
            return;
        }
    }
    let canonical = |value: &Value| {
        let mut text = String::new();
        write_canonical(value, group, slot_of, &mut text);
        text
    };
    if canonical(first) != canonical(second) {
        found.push(describe(path));
    }
}

/// A difference at `path`: the property it is in (`` property `id` ``),
/// else the keyword (`` `required` ``).
fn describe(path: &[&str]) -> String {
    let property = path
        .windows(2)
        .rev()
        .find(|pair| pair[0] == "properties")
        .map(|pair| pair[1]);
    match property {
        Some(name) => format!("property `{name}`"),
        None => {
            let keyword = path
                .iter()
                .rev()
                .find(|segment| segment.parse::<usize>().is_err())
                .copied()
                .unwrap_or("the whole schema");
            format!("`{keyword}`")
        }
    }
}

fn group_count(group: &[usize]) -> usize {
    group
        .iter()
        .enumerate()
        .filter(|(index, first)| index == *first)
        .count()
}

/// Numbers items by the first index each distinct item appears at.
fn number_by_first<'t>(items: impl Iterator<Item = &'t str>) -> Vec<usize> {
    let mut first_of: BTreeMap<&str, usize> = BTreeMap::new();
    items
        .enumerate()
        .map(|(index, item)| *first_of.entry(item).or_insert(index))
        .collect()
}

/// `value` as text that is equal for equal content: keys sorted, and a
/// reference to a bundled schema written as the group it is in.
fn write_canonical(
    value: &Value,
    group: &[usize],
    slot_of: &impl Fn(&str) -> Option<usize>,
    out: &mut String,
) {
    match value {
        Value::Object(object) => {
            let mut entries: Vec<(&String, &Value)> = object.iter().collect();
            entries.sort_by_key(|(key, _)| *key);
            out.push('{');
            for (key, child) in entries {
                let _ = write!(out, "{key:?}:");
                write_canonical(child, group, slot_of, out);
                out.push(',');
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for item in items {
                write_canonical(item, group, slot_of, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::String(text) => match slot_of(text) {
            Some(slot) => {
                let _ = write!(out, "<group {}>", group[slot]);
            }
            None => {
                let _ = write!(out, "{text:?}");
            }
        },
        scalar => {
            let _ = write!(out, "{scalar}");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::json;

    use super::*;

    /// References are written `ref:N` in these tests.
    fn slot_of(text: &str) -> Option<usize> {
        text.strip_prefix("ref:")?.parse().ok()
    }

    fn groups(schemas: &[(&str, Value)]) -> Vec<usize> {
        let files: Vec<PathBuf> = schemas
            .iter()
            .map(|(file, _)| PathBuf::from(file))
            .collect();
        let bundled: Vec<Bundled<'_>> = schemas
            .iter()
            .zip(&files)
            .map(|((_, value), file)| Bundled {
                file,
                pointer: "",
                component_name: None,
                value,
            })
            .collect();
        copy_groups(&bundled, &slot_of)
    }

    #[test]
    fn equal_content_under_one_name_is_one_group() {
        let owner = json!({"type": "object", "properties": {"id": {"type": "string"}}});
        let reordered = json!({"properties": {"id": {"type": "string"}}, "type": "object"});
        assert_eq!(
            groups(&[
                ("/a/owner.yaml", owner.clone()),
                ("/b/owner.yaml", reordered),
                ("/c/other.yaml", owner.clone()),
                ("/d/owner.yaml", json!({"type": "string"})),
            ]),
            [0, 0, 2, 3]
        );
    }

    #[test]
    fn references_are_equal_when_what_they_name_is() {
        let holder =
            |target: usize| json!({"properties": {"owner": {"$ref": format!("ref:{target}")}}});
        // 0 and 1 name identical owners (2, 3); 4 names a different one (5).
        assert_eq!(
            groups(&[
                ("/a/holder.yaml", holder(2)),
                ("/b/holder.yaml", holder(3)),
                ("/a/owner.yaml", json!({"type": "string"})),
                ("/b/owner.yaml", json!({"type": "string"})),
                ("/c/holder.yaml", holder(5)),
                ("/c/owner.yaml", json!({"type": "integer"})),
            ]),
            [0, 0, 2, 2, 4, 5]
        );
    }

    #[test]
    fn recursive_copies_are_one_group() {
        let node = |own: usize| json!({"properties": {"next": {"$ref": format!("ref:{own}")}}});
        assert_eq!(
            groups(&[("/a/node.yaml", node(0)), ("/b/node.yaml", node(1))]),
            [0, 0]
        );
    }

    #[test]
    fn differences_name_properties_and_keywords() {
        let first = json!({"required": ["id"], "properties": {"id": {"type": "string"}, "name": {"type": "string"}}});
        let second = json!({"required": ["id", "name"], "properties": {"id": {"type": "integer"}}});
        assert_eq!(
            differences(&first, &second, &[], &slot_of),
            ["`required`", "property `id`", "property `name`"]
        );
    }
}
