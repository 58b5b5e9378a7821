//! The walk of the bundle: each node copied into the one document, its
//! `$ref`s resolved by what kind of node holds them ([`Context`]).

use std::path::Path;

use serde_json::{Map, Value};

use super::super::super::diag::{
    append_pointer_segment, push_pointer, Diagnostic, Location, Warning,
};
use super::super::super::warnings::WarningKind;
use super::super::marks::slot_mark;
use super::super::Target;
use super::{Context, Loader, Unresolved};

impl Loader {
    /// Copies `value`, found in `file` at the pointer `at`, into the bundle
    /// at the pointer `out`. Both pointers grow and shrink back as the walk
    /// goes down and up, rather than a pair of new strings per node.
    pub(super) fn walk(
        &mut self,
        value: &Value,
        context: Context,
        file: &Path,
        at: &mut String,
        out: &mut String,
    ) -> Value {
        match value {
            Value::Object(object) => {
                // In a map of schemas by name (`properties`,
                // `components/schemas`), `$ref` is a name like any other
                // when its value is a schema; as text, it names the map
                // (a map of properties shared between files).
                let reference = match context {
                    Context::SchemaMap => object.get("$ref").filter(|value| value.is_string()),
                    _ => object.get("$ref"),
                };
                let null_reference = reference.is_some_and(Value::is_null);
                if null_reference {
                    self.warnings.push(Warning {
                        kind: WarningKind::NullRef,
                        location: Location::pointer(file, push_pointer(at, "$ref")),
                        message:
                            "`$ref: null` names nothing: dropped, and the node read without it"
                                .to_owned(),
                    });
                }
                if let Some(reference) = reference.filter(|_| !null_reference) {
                    let Some(reference) = reference.as_str() else {
                        self.errors.push(Diagnostic::new(
                            Location::pointer(file, push_pointer(at, "$ref")),
                            "`$ref` must be a string",
                        ));
                        return Value::Null;
                    };
                    let here = Target {
                        file: file.to_path_buf(),
                        pointer: at.clone(),
                    };
                    return match context {
                        Context::Schema => self.schema_ref(reference, &here),
                        _ => self.inline_ref(reference, context, &here, out),
                    };
                }
                let mut copy = Map::new();
                for (key, child) in object {
                    if null_reference && key == "$ref" {
                        continue;
                    }
                    let walked = match child_context(context, key, child) {
                        Some(child_context) => {
                            self.walk_child(child, child_context, file, key, at, out)
                        }
                        None if context == Context::Schema && key == "discriminator" => {
                            let child_at = Target {
                                file: file.to_path_buf(),
                                pointer: push_pointer(at, key),
                            };
                            self.discriminator(child, &child_at)
                        }
                        None => child.clone(),
                    };
                    copy.insert(key.clone(), walked);
                }
                Value::Object(copy)
            }
            Value::Array(items) => {
                let item_context = match context {
                    Context::SchemaList => Context::Schema,
                    other => other,
                };
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.walk_child(item, item_context, file, &index.to_string(), at, out)
                    })
                    .collect();
                Value::Array(items)
            }
            scalar => scalar.clone(),
        }
    }

    /// [`Self::walk`] of the child `segment` of the node at `at` (in the
    /// bundle, at `out`): both pointers are back as they were after.
    fn walk_child(
        &mut self,
        child: &Value,
        context: Context,
        file: &Path,
        segment: &str,
        at: &mut String,
        out: &mut String,
    ) -> Value {
        let (at_len, out_len) = (at.len(), out.len());
        append_pointer_segment(at, segment);
        append_pointer_segment(out, segment);
        let walked = self.walk(child, context, file, at, out);
        at.truncate(at_len);
        out.truncate(out_len);
        walked
    }

    /// Walks the node `target` names, which was checked to exist, into the
    /// bundle at `out`: read where it is, never copied first.
    pub(super) fn walk_node(
        &mut self,
        target: &Target,
        context: Context,
        out: &str,
    ) -> Result<Value, Diagnostic> {
        let document = self.file(&target.file)?;
        let value = document.pointer(&target.pointer).ok_or_else(|| {
            Diagnostic::new(
                Location::pointer(&target.file, &target.pointer),
                "no such node",
            )
        })?;
        let mut at = target.pointer.clone();
        let mut out = out.to_owned();
        Ok(self.walk(value, context, &target.file, &mut at, &mut out))
    }

    /// A `$ref` where a schema belongs: a reference to a named schema.
    /// A schema `$ref` to a node its file does not have (left by a vendor's
    /// tooling) becomes the empty schema, any JSON value, with a warning:
    /// one broken reference should not cost the rest of the API.
    fn schema_ref(&mut self, reference: &str, at: &Target) -> Value {
        match self.schema_ref_string(reference, at) {
            Ok(local) => Value::Object(Map::from_iter([("$ref".to_owned(), Value::String(local))])),
            Err(Unresolved::NoNode(diagnostic)) => {
                self.warnings.push(Warning {
                    kind: WarningKind::UnresolvedSchemaRef,
                    location: diagnostic.location,
                    message: format!("{}; typed as serde_json::Value", diagnostic.message),
                });
                Value::Object(Map::new())
            }
            Err(Unresolved::Broken(diagnostic)) => {
                self.errors.push(diagnostic);
                Value::Null
            }
        }
    }

    fn schema_ref_string(&mut self, reference: &str, at: &Target) -> Result<String, Unresolved> {
        let target = self.try_resolve(reference, at)?;
        if target.file == self.root_file {
            if let Some(name) = target.pointer.strip_prefix("/components/schemas/") {
                if !name.contains('/') {
                    return Ok(format!("#{}", target.pointer));
                }
            }
        }
        let slot = self.new_slot(target);
        Ok(format!("#/components/schemas/{}", slot_mark(slot)))
    }

    /// `discriminator.mapping` values may be `$ref`s written as strings.
    fn discriminator(&mut self, value: &Value, at: &Target) -> Value {
        let mut copy = value.clone();
        let Some(mapping) = copy.get_mut("mapping").and_then(Value::as_object_mut) else {
            return copy;
        };
        for (key, target) in mapping.iter_mut() {
            let Some(reference) = target.as_str() else {
                continue;
            };
            let looks_like_ref = reference.contains('#')
                || reference.ends_with(".yaml")
                || reference.ends_with(".yml")
                || reference.ends_with(".json");
            if !looks_like_ref {
                continue;
            }
            let entry_at = Target {
                file: at.file.clone(),
                pointer: push_pointer(&push_pointer(&at.pointer, "mapping"), key),
            };
            let local = self
                .chain_end(reference, &entry_at)
                .and_then(|(reference, at)| self.schema_ref_string(&reference, &at));
            match local {
                Ok(local) => *target = Value::String(local),
                Err(unresolved) => self.errors.push(unresolved.into_diagnostic()),
            }
        }
        copy
    }

    /// Where the `$ref`s from `reference` (at `at`) lead: the last one and
    /// where it is written. A mapping may name a node inside a schema that
    /// is itself a `$ref` (a member of the `oneOf`, by its pointer); the
    /// schema it means is the one that `$ref` names. A named schema that
    /// is a `$ref` (an alias) is a type of its own, and ends the chain, as
    /// does a cycle (the walk reports it where the `$ref`s are).
    fn chain_end(&mut self, reference: &str, at: &Target) -> Result<(String, Target), Unresolved> {
        let mut reference = reference.to_owned();
        let mut at = at.clone();
        let mut seen = Vec::new();
        loop {
            let target = self.try_resolve(&reference, &at)?;
            let document = self.file(&target.file)?;
            let next = document
                .pointer(&target.pointer)
                .and_then(|node| node.get("$ref"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            let names_a_component = target.file == self.root_file
                && target
                    .pointer
                    .strip_prefix("/components/schemas/")
                    .is_some_and(|name| !name.contains('/'));
            match next {
                Some(next) if !names_a_component && !seen.contains(&target) => {
                    seen.push(target.clone());
                    reference = next;
                    at = target;
                }
                _ => return Ok((reference, at)),
            }
        }
    }

    /// A `$ref` in spec structure: the node it names is copied in place.
    fn inline_ref(&mut self, reference: &str, context: Context, at: &Target, out: &str) -> Value {
        let target = match self.resolve(reference, at) {
            Ok(target) => target,
            Err(diagnostic) => {
                self.errors.push(diagnostic);
                return Value::Null;
            }
        };
        if let Some(start) = self.inlining.iter().position(|seen| *seen == target) {
            let chain: Vec<String> = self.inlining[start..]
                .iter()
                .chain([&target])
                .map(|target| Location::pointer(&target.file, &target.pointer).to_string())
                .collect();
            self.errors.push(Diagnostic::new(
                Location::pointer(&at.file, &at.pointer),
                format!("`$ref` cycle: {}", chain.join(" → ")),
            ));
            return Value::Null;
        }
        self.origins.insert(out.to_owned(), target.clone());
        self.inlining.push(target.clone());
        let walked = self.walk_node(&target, context, out);
        self.inlining.pop();
        walked.unwrap_or_else(|diagnostic| {
            self.errors.push(diagnostic);
            Value::Null
        })
    }
}

/// The context of `value`, found under `key` in a node of `context`; `None`
/// when it is data to copy as it is (examples, defaults, enums, extensions).
fn child_context(context: Context, key: &str, value: &Value) -> Option<Context> {
    if key.starts_with("x-") {
        return None;
    }
    match context {
        Context::Structure => match key {
            "schema" => Some(Context::Schema),
            "schemas" => Some(Context::SchemaMap),
            "example" | "value" => None,
            _ => Some(Context::Structure),
        },
        Context::SchemaMap => Some(Context::Schema),
        Context::SchemaList => Some(Context::Schema),
        Context::Schema => match key {
            "properties" => Some(Context::SchemaMap),
            "items" | "not" => Some(Context::Schema),
            "additionalProperties" if value.is_object() => Some(Context::Schema),
            "allOf" | "oneOf" | "anyOf" => Some(Context::SchemaList),
            _ => None,
        },
    }
}
