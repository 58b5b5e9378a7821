//! An extension's needs file (`templates/extensions/<name>.yaml`): what it
//! uses of the spec, parsed and checked for form. Whether the spec has it
//! is [`super::bind`]'s question.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::super::diag::{Diagnostic, Errors, Location};

/// What an extension needs, as its needs file says.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Needs {
    /// What generation does when the spec lacks something.
    pub when_missing: WhenMissing,
    /// By the name of the function `bindings` gets (snake case).
    pub operations: BTreeMap<String, OperationNeed>,
    /// By alias (Pascal case).
    #[serde(default)]
    pub types: BTreeMap<String, TypeNeed>,
    /// By the name of the function `bindings` gets (snake case).
    #[serde(default)]
    pub accessors: BTreeMap<String, AccessorNeed>,
}

/// What generation does when the spec lacks what an extension needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhenMissing {
    /// Fail, naming what is missing: nothing is written.
    Error,
    /// Leave the extension out of the crate, with a warning.
    Skip,
}

/// An operation, found by method and path.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationNeed {
    /// `GET`, `POST`, … (any case).
    pub method: String,
    /// Matched ignoring version segments and path variable names.
    pub path: String,
    /// The operation's required arguments, in order: Rust name → type.
    #[serde(default)]
    pub arguments: indexmap::IndexMap<String, ValueType>,
}

/// A type alias: the answer of an operation, or the type of a field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeNeed {
    /// The operation (a key of [`Needs::operations`]) whose success answer
    /// the type is.
    pub answer_of: Option<String>,
    /// `Alias.wireName`: the type of that field of another alias.
    pub type_of: Option<String>,
    /// Wire values of a string enum, each bound to a constant.
    #[serde(default)]
    pub values: Vec<String>,
}

/// A function reading a field as `Option<&T>`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessorNeed {
    /// `Alias.wireName`.
    pub field: String,
    /// `T`: an alias of [`Needs::types`], or a [`ValueType`] name.
    #[serde(rename = "type")]
    pub ty: String,
}

/// The scalar types an extension can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    String,
    I32,
    I64,
    Bool,
}

impl ValueType {
    /// The type named so in a needs file, if it is a scalar.
    pub fn named(name: &str) -> Option<Self> {
        serde_yaml::from_str(name).ok()
    }
}

/// A needs file, read.
#[derive(Debug, Clone)]
pub struct NeedsFile {
    pub path: PathBuf,
    pub text: String,
    pub needs: Needs,
}

impl NeedsFile {
    /// Parses the needs file at `path` whose text is `text`.
    pub fn parse(path: &Path, text: &str) -> Result<Self, Errors> {
        let needs: Needs = serde_yaml::from_str(text).map_err(|error| {
            let location = match error.location() {
                Some(at) => Location::LineColumn {
                    file: path.to_path_buf(),
                    line: at.line(),
                    column: at.column(),
                },
                None => Location::File(path.to_path_buf()),
            };
            Errors::one(location, format!("not a needs file: {error}"))
        })?;
        let file = Self {
            path: path.to_path_buf(),
            text: text.to_owned(),
            needs,
        };
        file.check_references()?;
        Ok(file)
    }

    /// Where the entry `key` is written (the first line that starts it),
    /// else the file: errors about an entry point at it.
    pub fn locate(&self, key: &str) -> Location {
        let prefix = format!("{key}:");
        for (index, line) in self.text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with(&prefix) {
                return Location::LineColumn {
                    file: self.path.clone(),
                    line: index + 1,
                    column: line.len() - trimmed.len() + 1,
                };
            }
        }
        Location::File(self.path.clone())
    }

    /// Names within the file refer to entries of it.
    fn check_references(&self) -> Result<(), Errors> {
        let needs = &self.needs;
        let mut errors = Vec::new();
        for (alias, need) in &needs.types {
            let at = || self.locate(alias);
            match (&need.answer_of, &need.type_of) {
                (Some(operation), None) if !needs.operations.contains_key(operation) => {
                    errors.push(Diagnostic::new(
                        at(),
                        format!("`answer_of: {operation}` names no entry of `operations`"),
                    ));
                }
                (None, Some(field)) => {
                    if let Err(message) = self.field_owner(field) {
                        errors.push(Diagnostic::new(at(), message));
                    }
                }
                (Some(_), None) => {}
                _ => errors.push(Diagnostic::new(
                    at(),
                    "a type is either `answer_of: <operation>` or `type_of: <Type>.<field>`",
                )),
            }
        }
        for (accessor, need) in &needs.accessors {
            if let Err(message) = self.field_owner(&need.field) {
                errors.push(Diagnostic::new(self.locate(accessor), message));
            }
            if ValueType::named(&need.ty).is_none() && !needs.types.contains_key(&need.ty) {
                errors.push(Diagnostic::new(
                    self.locate(accessor),
                    format!(
                        "`type: {}` is neither an entry of `types` nor one of string, i32, i64, bool",
                        need.ty
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Errors(errors))
        }
    }

    /// `Alias.wireName` split, the alias checked to be an entry of `types`.
    pub fn field_owner<'f>(&self, field: &'f str) -> Result<(&'f str, &'f str), String> {
        let Some((alias, wire)) = field.split_once('.') else {
            return Err(format!("`{field}` is not `<Type>.<field>`"));
        };
        if !self.needs.types.contains_key(alias) {
            return Err(format!("`{field}`: `{alias}` is no entry of `types`"));
        }
        Ok((alias, wire))
    }
}
