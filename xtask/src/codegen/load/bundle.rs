//! Bundling: the files of a spec into one document, `$ref`s resolved,
//! where each part came from remembered, and the named schemas given
//! their names. The walk over the nodes is in `walk.rs`.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::super::diag::Warning;
use super::super::diag::{push_pointer, Diagnostic, Errors, Location};
use super::super::type_names::{bundled_schema_keys, component_type_name, BundledSchema};
use super::super::vocabulary::{Counts, Vocabulary};
use super::copies::{copy_groups, differing_copies, Bundled};
use super::marks::{marked_slot, marked_slot_prefix, rename_slots, replace_slot_marks, slot_mark};
use super::read::parse_file;
use super::{percent_decode, Spec, Target};

mod walk;

/// What a node is, which decides what a `$ref` in it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Spec structure: a `$ref` is copied in place.
    Structure,
    /// A schema: a `$ref` names another schema.
    Schema,
    /// A map whose values are schemas (`properties`, `components/schemas`).
    SchemaMap,
    /// A list of schemas (`allOf`, `oneOf`, `anyOf`).
    SchemaList,
}

/// A schema that gets its own name in `components/schemas`.
#[derive(Debug)]
struct Slot {
    target: Target,
    /// The name of the root's component that points at it, if any.
    component_name: Option<String>,
    value: Value,
}

/// Bundles the spec whose root document is `root_file` (its contents
/// `root_document` when given, else read from the file); other files are
/// read (and counted) when a `$ref` first reaches them.
pub(super) fn bundle(root_file: PathBuf, root_document: Option<Value>) -> Result<Spec, Errors> {
    let mut loader = Loader {
        root_file: root_file.clone(),
        files: HashMap::new(),
        counts: Counts::default(),
        slots: Vec::new(),
        slot_of: HashMap::new(),
        queue: VecDeque::new(),
        inlining: Vec::new(),
        origins: BTreeMap::new(),
        canonical: HashMap::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    if let Some(document) = root_document {
        loader.add_file(root_file.clone(), document);
    }
    let root_document = loader.file(&root_file).map_err(Errors::from)?;
    if root_document.is_null() {
        return Err(Errors::one(
            Location::File(root_file),
            "the document is empty",
        ));
    }
    if !root_document.is_object() {
        return Err(Errors::one(
            Location::pointer(&root_file, ""),
            "the document must be a mapping with `openapi`, `info` and `paths`",
        ));
    }
    loader.claim_component_files(&root_document);
    let root_target = Target {
        file: root_file.clone(),
        pointer: String::new(),
    };
    loader.origins.insert(String::new(), root_target.clone());
    let mut document = loader.walk(
        &root_document,
        Context::Structure,
        &root_target.file,
        &mut String::new(),
        &mut String::new(),
    );
    while let Some(slot) = loader.queue.pop_front() {
        let target = loader.slots[slot].target.clone();
        let out = format!("/components/schemas/{}", slot_mark(slot));
        loader.origins.insert(out.clone(), target.clone());
        match loader.walk_node(&target, Context::Schema, &out) {
            Ok(walked) => loader.slots[slot].value = walked,
            Err(diagnostic) => loader.errors.push(diagnostic),
        }
    }
    if !loader.errors.is_empty() {
        loader.errors.sort();
        loader.errors.dedup();
        return Err(Errors(loader.errors));
    }
    let vocabulary = std::mem::take(&mut loader.counts).into_vocabulary();
    let bundled = loader.bundled();
    let group = copy_groups(&bundled, &marked_slot);
    let names = slot_names(&loader, &root_document, &group, &vocabulary)?;
    let type_name = |slot: usize| component_type_name(&names[slot], &vocabulary);
    let differing = differing_copies(&bundled, &group, &type_name, &marked_slot);
    loader.warnings.extend(differing);
    let schemas = document
        .as_object_mut()
        .expect("the root was checked to be a mapping")
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .and_then(|components| {
            components
                .entry("schemas")
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
        });
    let Some(schemas) = schemas else {
        return Err(Errors::one(
            Location::pointer(&root_file, "/components"),
            "`components` and `components/schemas` must be mappings",
        ));
    };
    for (index, (slot, name)) in loader.slots.iter_mut().zip(&names).enumerate() {
        // A copy's content is its first copy's; references to it name that.
        if group[index] == index {
            schemas.insert(name.clone(), std::mem::take(&mut slot.value));
        }
    }
    rename_slots(&mut document, &names);
    let origins = loader
        .origins
        .into_iter()
        .filter(|(pointer, _)| marked_slot_prefix(pointer).is_none_or(|slot| group[slot] == slot))
        .map(|(pointer, target)| (replace_slot_marks(&pointer, &names), target))
        .collect();
    loader.warnings.sort();
    Ok(Spec {
        root_file,
        document,
        origins,
        file_count: loader.files.len(),
        warnings: loader.warnings,
        vocabulary,
    })
}

/// The keys of the bundled schemas, as [`super::super::type_names`]
/// decides: one per group of copies, which all its members take.
fn slot_names(
    loader: &Loader,
    root: &Value,
    group: &[usize],
    vocabulary: &Vocabulary,
) -> Result<Vec<String>, Errors> {
    let root_keys: Vec<&str> = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let firsts: Vec<usize> = (0..loader.slots.len())
        .filter(|&slot| group[slot] == slot)
        .collect();
    let bundled: Vec<BundledSchema<'_>> = firsts
        .iter()
        .map(|&slot| {
            let slot = &loader.slots[slot];
            BundledSchema {
                file: &slot.target.file,
                pointer: &slot.target.pointer,
                component_name: slot.component_name.as_deref(),
            }
        })
        .collect();
    let keys = bundled_schema_keys(&loader.root_file, &root_keys, &bundled, vocabulary)?;
    let key_of: BTreeMap<usize, String> = firsts.into_iter().zip(keys).collect();
    Ok(group.iter().map(|first| key_of[first].clone()).collect())
}

struct Loader {
    root_file: PathBuf,
    files: HashMap<PathBuf, Rc<Value>>,
    /// The counts of the words of `files`, for the vocabulary.
    counts: Counts,
    slots: Vec<Slot>,
    slot_of: HashMap<Target, usize>,
    queue: VecDeque<usize>,
    /// The chain of `$ref`s being copied in place, to detect cycles.
    inlining: Vec<Target>,
    origins: BTreeMap<String, Target>,
    /// Paths as written (joined to their folder) → canonical paths.
    canonical: HashMap<PathBuf, PathBuf>,
    errors: Vec<Diagnostic>,
    /// What the walk worked around (a schema `$ref` to nothing).
    warnings: Vec<Warning>,
}

/// Why a `$ref` does not resolve.
enum Unresolved {
    /// The file it names is there, but not the node: where a schema
    /// belongs, that is worked around.
    NoNode(Diagnostic),
    /// Anything else: the file cannot be read, the reference is malformed.
    Broken(Diagnostic),
}

impl From<Diagnostic> for Unresolved {
    fn from(diagnostic: Diagnostic) -> Self {
        Self::Broken(diagnostic)
    }
}

impl Unresolved {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            Self::NoNode(diagnostic) | Self::Broken(diagnostic) => diagnostic,
        }
    }
}

impl Loader {
    /// The bundled schemas, as the search for copies sees them.
    fn bundled(&self) -> Vec<Bundled<'_>> {
        self.slots
            .iter()
            .map(|slot| Bundled {
                file: &slot.target.file,
                pointer: &slot.target.pointer,
                component_name: slot.component_name.as_deref(),
                value: &slot.value,
            })
            .collect()
    }

    /// The parsed contents of `file`, read once.
    fn file(&mut self, file: &Path) -> Result<Rc<Value>, Diagnostic> {
        if let Some(document) = self.files.get(file) {
            return Ok(Rc::clone(document));
        }
        Ok(self.add_file(file.to_path_buf(), parse_file(file)?))
    }

    /// Keeps the parsed contents of `file`, counting its words.
    fn add_file(&mut self, file: PathBuf, document: Value) -> Rc<Value> {
        self.counts.document(&document);
        let document = Rc::new(document);
        self.files.insert(file, Rc::clone(&document));
        document
    }

    /// The canonical form of a file's path, asked of the file system once
    /// per path (a spec names the same few files thousands of times).
    fn canonical(&mut self, path: PathBuf) -> Result<PathBuf, (PathBuf, std::io::Error)> {
        if let Some(canonical) = self.canonical.get(&path) {
            return Ok(canonical.clone());
        }
        match path.canonicalize() {
            Ok(canonical) => {
                self.canonical.insert(path, canonical.clone());
                Ok(canonical)
            }
            Err(error) => Err((path, error)),
        }
    }

    /// Schemas of the root's `components/schemas` that are only a `$ref` to
    /// another file take their component name.
    fn claim_component_files(&mut self, root: &Value) {
        let Some(schemas) = root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return;
        };
        let root_target = Target {
            file: self.root_file.clone(),
            pointer: "/components/schemas".to_owned(),
        };
        for (name, schema) in schemas {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            let at = Target {
                file: root_target.file.clone(),
                pointer: push_pointer(&root_target.pointer, name),
            };
            let Ok(target) = self.resolve(reference, &at) else {
                // Reported when the component itself is walked.
                continue;
            };
            if target.file == self.root_file || self.slot_of.contains_key(&target) {
                continue;
            }
            let slot = self.new_slot(target);
            self.slots[slot].component_name = Some(name.clone());
        }
    }

    fn new_slot(&mut self, target: Target) -> usize {
        if let Some(slot) = self.slot_of.get(&target) {
            return *slot;
        }
        let slot = self.slots.len();
        self.slots.push(Slot {
            target: target.clone(),
            component_name: None,
            value: Value::Null,
        });
        self.slot_of.insert(target, slot);
        self.queue.push_back(slot);
        slot
    }

    /// Resolves a `$ref` written at `at` to the node it names, reading the
    /// file it is in; the node must exist.
    fn resolve(&mut self, reference: &str, at: &Target) -> Result<Target, Diagnostic> {
        self.try_resolve(reference, at)
            .map_err(Unresolved::into_diagnostic)
    }

    /// [`Self::resolve`], telling a missing node apart.
    fn try_resolve(&mut self, reference: &str, at: &Target) -> Result<Target, Unresolved> {
        let here = || Location::pointer(&at.file, &at.pointer);
        let (file_part, fragment) = match reference.split_once('#') {
            Some((file, fragment)) => (file, fragment),
            None => (reference, ""),
        };
        if file_part.contains("://") {
            return Err(Unresolved::Broken(Diagnostic::new(
                here(),
                format!("`$ref: {reference}` points at a URL; only files of the spec are read"),
            )));
        }
        let file = if file_part.is_empty() {
            at.file.clone()
        } else {
            let candidate = at
                .file
                .parent()
                .unwrap_or_else(|| Path::new("."))
                .join(percent_decode(file_part));
            self.canonical(candidate).map_err(|(candidate, error)| {
                Diagnostic::new(
                    here(),
                    format!(
                        "`$ref: {reference}`: cannot read {}: {error}",
                        candidate.display()
                    ),
                )
            })?
        };
        let pointer = percent_decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(Unresolved::Broken(Diagnostic::new(
                here(),
                format!("`$ref: {reference}`: the fragment must be a JSON pointer such as `#/components/schemas/Name`"),
            )));
        }
        let document = self.file(&file)?;
        if document.pointer(&pointer).is_none() {
            return Err(Unresolved::NoNode(Diagnostic::new(
                here(),
                format!(
                    "`$ref: {reference}`: {} has nothing at `#{pointer}`",
                    super::super::diag::display_path(&file)
                ),
            )));
        }
        Ok(Target { file, pointer })
    }
}
