//! Load: reads the root document and every file it reaches through `$ref`,
//! and bundles them into one document whose `$ref`s are all local.
//!
//! Schemas that live in other files become named entries of
//! `components/schemas`, named after the root's component that points at
//! them, else after their file (or the last segment of their JSON pointer).
//! Everything else that a `$ref` points at (path items, responses,
//! parameters) is copied in place. The bundle remembers where each part
//! came from, so that later stages report errors in the file a maintainer
//! edits.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::diag::{
    escape_pointer_segment, push_pointer, unescape_pointer_segment, Diagnostic, Errors, Location,
};
use super::names::pascal;

/// Spec files larger than this are refused before parsing: the largest file
/// of SailPoint's whole API is a few hundred KiB.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Marks a named schema whose final name is not chosen yet: `\0{slot}\0`.
const SLOT_MARK: char = '\0';

/// The bundled spec.
#[derive(Debug)]
pub struct Spec {
    pub root_file: PathBuf,
    pub document: Value,
    /// Bundle pointer → the file and pointer it was copied from.
    origins: BTreeMap<String, Target>,
    /// How many files were read.
    pub file_count: usize,
}

impl Spec {
    /// Where the node at `pointer` in the bundle came from.
    pub fn locate(&self, pointer: &str) -> Location {
        let mut prefix = pointer;
        loop {
            if let Some(origin) = self.origins.get(prefix) {
                let rest = &pointer[prefix.len()..];
                return Location::pointer(&origin.file, format!("{}{rest}", origin.pointer));
            }
            match prefix.rfind('/') {
                Some(cut) => prefix = &prefix[..cut],
                None => return Location::pointer(&self.root_file, pointer),
            }
        }
    }
}

/// A node of a file: which file, and the JSON pointer in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    file: PathBuf,
    pointer: String,
}

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

/// Reads and bundles the spec whose root document is `root`.
pub fn load(root: &Path) -> Result<Spec, Errors> {
    let root_file = root.canonicalize().map_err(|error| {
        Errors::one(
            Location::File(root.to_path_buf()),
            format!("cannot read the spec: {error}"),
        )
    })?;
    let mut loader = Loader {
        root_file: root_file.clone(),
        files: BTreeMap::new(),
        slots: Vec::new(),
        slot_of: BTreeMap::new(),
        queue: VecDeque::new(),
        inlining: Vec::new(),
        origins: BTreeMap::new(),
        errors: Vec::new(),
    };
    loader.files = prefetch(&root_file);
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
    let mut document = loader.walk(&root_document, Context::Structure, &root_target, "");
    while let Some(slot) = loader.queue.pop_front() {
        let target = loader.slots[slot].target.clone();
        let value = match loader.node(&target) {
            Ok(value) => value,
            Err(diagnostic) => {
                loader.errors.push(diagnostic);
                continue;
            }
        };
        let out = format!("/components/schemas/{}", slot_mark(slot));
        loader.origins.insert(out.clone(), target.clone());
        let walked = loader.walk(&value, Context::Schema, &target, &out);
        loader.slots[slot].value = walked;
    }
    if !loader.errors.is_empty() {
        loader.errors.sort();
        loader.errors.dedup();
        return Err(Errors(loader.errors));
    }
    let names = loader.name_slots(&root_document)?;
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
    for (slot, name) in loader.slots.iter_mut().zip(&names) {
        schemas.insert(name.clone(), std::mem::take(&mut slot.value));
    }
    rename_slots(&mut document, &names);
    let origins = loader
        .origins
        .into_iter()
        .map(|(pointer, target)| (replace_slot_marks(&pointer, &names), target))
        .collect();
    Ok(Spec {
        root_file,
        document,
        origins,
        file_count: loader.files.len(),
    })
}

struct Loader {
    root_file: PathBuf,
    files: BTreeMap<PathBuf, Rc<Value>>,
    slots: Vec<Slot>,
    slot_of: BTreeMap<Target, usize>,
    queue: VecDeque<usize>,
    /// The chain of `$ref`s being copied in place, to detect cycles.
    inlining: Vec<Target>,
    origins: BTreeMap<String, Target>,
    errors: Vec<Diagnostic>,
}

impl Loader {
    /// The parsed contents of `file`, read once.
    fn file(&mut self, file: &Path) -> Result<Rc<Value>, Diagnostic> {
        if let Some(document) = self.files.get(file) {
            return Ok(Rc::clone(document));
        }
        let document = Rc::new(parse_file(file)?);
        self.files.insert(file.to_path_buf(), Rc::clone(&document));
        Ok(document)
    }

    /// The node at `target`, which was checked to exist.
    fn node(&mut self, target: &Target) -> Result<Value, Diagnostic> {
        let document = self.file(&target.file)?;
        document.pointer(&target.pointer).cloned().ok_or_else(|| {
            Diagnostic::new(
                Location::pointer(&target.file, &target.pointer),
                "no such node",
            )
        })
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
        let here = || Location::pointer(&at.file, &at.pointer);
        let (file_part, fragment) = match reference.split_once('#') {
            Some((file, fragment)) => (file, fragment),
            None => (reference, ""),
        };
        if file_part.contains("://") {
            return Err(Diagnostic::new(
                here(),
                format!("`$ref: {reference}` points at a URL; only files of the spec are read"),
            ));
        }
        let file = if file_part.is_empty() {
            at.file.clone()
        } else {
            let candidate = at
                .file
                .parent()
                .unwrap_or_else(|| Path::new("."))
                .join(percent_decode(file_part));
            candidate.canonicalize().map_err(|error| {
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
            return Err(Diagnostic::new(
                here(),
                format!("`$ref: {reference}`: the fragment must be a JSON pointer such as `#/components/schemas/Name`"),
            ));
        }
        let document = self.file(&file)?;
        if document.pointer(&pointer).is_none() {
            return Err(Diagnostic::new(
                here(),
                format!(
                    "`$ref: {reference}`: {} has nothing at `#{pointer}`",
                    super::diag::display_path(&file)
                ),
            ));
        }
        Ok(Target { file, pointer })
    }

    /// Copies `value`, found at `at`, into the bundle at `out`.
    fn walk(&mut self, value: &Value, context: Context, at: &Target, out: &str) -> Value {
        match value {
            Value::Object(object) => {
                if let Some(reference) = object.get("$ref") {
                    let Some(reference) = reference.as_str() else {
                        self.errors.push(Diagnostic::new(
                            Location::pointer(&at.file, push_pointer(&at.pointer, "$ref")),
                            "`$ref` must be a string",
                        ));
                        return Value::Null;
                    };
                    return match context {
                        Context::Schema => self.schema_ref(reference, at),
                        _ => self.inline_ref(reference, context, at, out),
                    };
                }
                let mut copy = Map::new();
                for (key, child) in object {
                    let child_at = Target {
                        file: at.file.clone(),
                        pointer: push_pointer(&at.pointer, key),
                    };
                    let child_out = push_pointer(out, key);
                    let walked = match child_context(context, key, child) {
                        Some(child_context) => {
                            self.walk(child, child_context, &child_at, &child_out)
                        }
                        None if context == Context::Schema && key == "discriminator" => {
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
                        let index = index.to_string();
                        let item_at = Target {
                            file: at.file.clone(),
                            pointer: push_pointer(&at.pointer, &index),
                        };
                        self.walk(item, item_context, &item_at, &push_pointer(out, &index))
                    })
                    .collect();
                Value::Array(items)
            }
            scalar => scalar.clone(),
        }
    }

    /// A `$ref` where a schema belongs: a reference to a named schema.
    fn schema_ref(&mut self, reference: &str, at: &Target) -> Value {
        match self.schema_ref_string(reference, at) {
            Ok(local) => Value::Object(Map::from_iter([("$ref".to_owned(), Value::String(local))])),
            Err(diagnostic) => {
                self.errors.push(diagnostic);
                Value::Null
            }
        }
    }

    fn schema_ref_string(&mut self, reference: &str, at: &Target) -> Result<String, Diagnostic> {
        let target = self.resolve(reference, at)?;
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
            match self.schema_ref_string(reference, &entry_at) {
                Ok(local) => *target = Value::String(local),
                Err(diagnostic) => self.errors.push(diagnostic),
            }
        }
        copy
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
        let value = match self.node(&target) {
            Ok(value) => value,
            Err(diagnostic) => {
                self.errors.push(diagnostic);
                return Value::Null;
            }
        };
        self.origins.insert(out.to_owned(), target.clone());
        self.inlining.push(target.clone());
        let walked = self.walk(&value, context, &target, out);
        self.inlining.pop();
        walked
    }

    /// Final names of the slots: the root's component name, else the file
    /// stem or last pointer segment; names claimed twice are qualified with
    /// the file's path, so no name depends on the order files were read.
    fn name_slots(&self, root: &Value) -> Result<Vec<String>, Errors> {
        // Names collide when they make the same Rust type name.
        let mut taken: BTreeMap<String, usize> = BTreeMap::new();
        if let Some(schemas) = root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            for name in schemas.keys() {
                *taken.entry(pascal(name)).or_default() += 1;
            }
        }
        let plain: Vec<String> = self
            .slots
            .iter()
            .map(|slot| match &slot.component_name {
                Some(name) => name.clone(),
                None => plain_name(&slot.target),
            })
            .collect();
        for (slot, name) in self.slots.iter().zip(&plain) {
            if slot.component_name.is_none() {
                *taken.entry(pascal(name)).or_default() += 1;
            }
        }
        let root_dir = self.root_file.parent().unwrap_or_else(|| Path::new(""));
        let names: Vec<String> = self
            .slots
            .iter()
            .zip(&plain)
            .map(|(slot, name)| {
                if slot.component_name.is_some() || taken[&pascal(name)] == 1 {
                    name.clone()
                } else {
                    self.qualified_name(slot, &plain, &taken, root_dir)
                }
            })
            .collect();
        let mut seen: BTreeMap<String, &Target> = BTreeMap::new();
        let mut errors = Vec::new();
        for (name, slot) in names.iter().zip(&self.slots) {
            if let Some(first) = seen.insert(pascal(name), &slot.target) {
                errors.push(Diagnostic::new(
                    Location::pointer(&slot.target.file, &slot.target.pointer),
                    format!(
                        "schema name `{name}` is also the name of {}",
                        Location::pointer(&first.file, &first.pointer)
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(names)
        } else {
            Err(Errors(errors))
        }
    }

    /// A name for a slot whose plain name is shared: the plain name behind
    /// as few of its folders as tell it apart from the others sharing it.
    fn qualified_name(
        &self,
        slot: &Slot,
        plain: &[String],
        taken: &BTreeMap<String, usize>,
        root_dir: &Path,
    ) -> String {
        let folders = |target: &Target| -> Vec<String> {
            let relative = target.file.strip_prefix(root_dir).unwrap_or(&target.file);
            relative
                .parent()
                .into_iter()
                .flat_map(|parent| parent.components())
                .map(|part| part.as_os_str().to_string_lossy().replace("..", "up"))
                .collect()
        };
        let own_plain = &plain[self.slot_of[&slot.target]];
        let rivals: Vec<&Target> = self
            .slots
            .iter()
            .zip(plain)
            .filter(|(other, name)| {
                other.target != slot.target && pascal(name) == pascal(own_plain)
            })
            .map(|(other, _)| &other.target)
            .collect();
        let own_folders = folders(&slot.target);
        for depth in 1..=own_folders.len() {
            let prefix = |parts: &[String]| parts[parts.len().saturating_sub(depth)..].join("_");
            let candidate = format!("{}_{own_plain}", prefix(&own_folders));
            let clashes = rivals.iter().any(|rival| {
                let rival_name = format!("{}_{own_plain}", prefix(&folders(rival)));
                pascal(&rival_name) == pascal(&candidate)
            }) || taken.contains_key(&pascal(&candidate));
            if !clashes {
                return candidate;
            }
        }
        qualified_name(&slot.target, root_dir)
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

fn slot_mark(slot: usize) -> String {
    format!("{SLOT_MARK}{slot}{SLOT_MARK}")
}

/// Replaces every slot mark in `text` with its escaped (pointer) name.
/// Spec text cannot hold NUL (see [`parse_file`]), so every mark is ours.
fn replace_slot_marks(text: &str, names: &[String]) -> String {
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
fn rename_slots(value: &mut Value, names: &[String]) {
    match value {
        Value::String(text) if text.starts_with("#/components/schemas/\0") => {
            *text = replace_slot_marks(text, names);
        }
        Value::Object(object) => object.values_mut().for_each(|v| rename_slots(v, names)),
        Value::Array(items) => items.iter_mut().for_each(|v| rename_slots(v, names)),
        _ => {}
    }
}

fn plain_name(target: &Target) -> String {
    match target.pointer.rsplit('/').next() {
        Some(segment) if !target.pointer.is_empty() => unescape_pointer_segment(segment),
        _ => file_stem(&target.file),
    }
}

fn file_stem(file: &Path) -> String {
    file.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The file's path under the root's folder, without extension, and the
/// pointer, joined with `_`: unique for every node.
fn qualified_name(target: &Target, root_dir: &Path) -> String {
    let relative = target.file.strip_prefix(root_dir).unwrap_or(&target.file);
    let mut parts: Vec<String> = relative
        .parent()
        .into_iter()
        .flat_map(|parent| parent.components())
        .map(|component| component.as_os_str().to_string_lossy().replace("..", "up"))
        .collect();
    parts.push(file_stem(&target.file));
    parts.extend(
        target
            .pointer
            .split('/')
            .skip(1)
            .map(unescape_pointer_segment),
    );
    parts.join("_")
}

/// Decodes `%XX` escapes of a `$ref`; anything malformed stays as it is.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).unwrap_or_else(|_| text.to_owned())
}

/// A file read ahead: its path, its value if it parsed, and the files its
/// text names.
type Prefetched = (PathBuf, Option<Value>, Vec<PathBuf>);

/// Parses, on every core, the files the spec's text names in `$ref`s, wave
/// by wave from the root: parsing is most of loading's time. A guess that
/// names no file, or a file that does not parse, is left for the walk,
/// which reports it where the `$ref` is.
fn prefetch(root: &Path) -> BTreeMap<PathBuf, Rc<Value>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 8);
    let mut parsed: BTreeMap<PathBuf, Rc<Value>> = BTreeMap::new();
    let mut seen: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    let mut wave = vec![root.to_path_buf()];
    seen.insert(root.to_path_buf());
    while !wave.is_empty() {
        // Threads pay off only for waves of many files; starting one costs
        // as much as parsing a small file.
        let results: Vec<Vec<Prefetched>> = if wave.len() < 16 {
            vec![wave.iter().map(|file| prefetch_one(file)).collect()]
        } else {
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|worker| {
                        let wave = &wave;
                        scope.spawn(move || {
                            wave.iter()
                                .skip(worker)
                                .step_by(threads)
                                .map(|file| prefetch_one(file))
                                .collect()
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .filter_map(|worker| worker.join().ok())
                    .collect()
            })
        };
        let mut next = Vec::new();
        for (file, value, named) in results.into_iter().flatten() {
            if let Some(value) = value {
                parsed.insert(file, Rc::new(value));
            }
            for candidate in named {
                if seen.insert(candidate.clone()) {
                    next.push(candidate);
                }
            }
        }
        next.sort();
        wave = next;
    }
    parsed
}

fn prefetch_one(file: &Path) -> Prefetched {
    match read_spec_file(file) {
        Ok(text) => (
            file.to_path_buf(),
            parse_spec_text(file, &text).ok(),
            referenced_files(file, &text),
        ),
        Err(_) => (file.to_path_buf(), None, Vec::new()),
    }
}

/// Files that `$ref:` lines of `text` seem to name, canonical; a cheap
/// reading of the text, not of the YAML.
fn referenced_files(file: &Path, text: &str) -> Vec<PathBuf> {
    let dir = file.parent().unwrap_or_else(|| Path::new("."));
    let mut found = Vec::new();
    for line in text.lines() {
        let Some((_, value)) = line.split_once("$ref") else {
            continue;
        };
        let value = value
            .trim_start_matches(['"', '\'', ':', ' '])
            .split(['"', '\'', '#', ' ', ','])
            .next()
            .unwrap_or_default();
        if value.is_empty() || value.contains("://") {
            continue;
        }
        if let Ok(path) = dir.join(percent_decode(value)).canonicalize() {
            if path.is_file() {
                found.push(path);
            }
        }
    }
    found
}

/// Parses a YAML or JSON file into JSON values, with located errors.
pub fn parse_file(file: &Path) -> Result<Value, Diagnostic> {
    parse_spec_text(file, &read_spec_file(file)?)
}

/// A spec file's text: at most [`MAX_FILE_BYTES`], UTF-8, without NUL.
fn read_spec_file(file: &Path) -> Result<String, Diagnostic> {
    let at_file = || Location::File(file.to_path_buf());
    let size = std::fs::metadata(file)
        .map_err(|error| Diagnostic::new(at_file(), format!("cannot read: {error}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            at_file(),
            format!("the file is {size} bytes; spec files over {MAX_FILE_BYTES} bytes are refused"),
        ));
    }
    let bytes = std::fs::read(file)
        .map_err(|error| Diagnostic::new(at_file(), format!("cannot read: {error}")))?;
    let text = String::from_utf8(bytes).map_err(|error| {
        Diagnostic::new(
            at_file(),
            format!(
                "not UTF-8 text (a binary file?): invalid byte at offset {}",
                error.utf8_error().valid_up_to()
            ),
        )
    })?;
    if text.contains('\0') {
        return Err(Diagnostic::new(
            at_file(),
            "not a text file: it contains NUL bytes",
        ));
    }
    Ok(text)
}

/// Parses a spec file's text; strings and keys may not hold NUL either.
fn parse_spec_text(file: &Path, text: &str) -> Result<Value, Diagnostic> {
    let value = parse_text(file, text)?;
    if let Some(pointer) = find_nul(&value, String::new()) {
        return Err(Diagnostic::new(
            Location::pointer(file, pointer),
            "text with a NUL character is not allowed in a spec",
        ));
    }
    Ok(value)
}

/// Where a key or string holding NUL is, if any.
fn find_nul(value: &Value, at: String) -> Option<String> {
    match value {
        Value::String(text) if text.contains('\0') => Some(at),
        Value::Object(map) => map.iter().find_map(|(key, child)| {
            let here = push_pointer(&at, &key.replace('\0', "\\0"));
            if key.contains('\0') {
                Some(here)
            } else {
                find_nul(child, here)
            }
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, child)| find_nul(child, push_pointer(&at, &index.to_string()))),
        _ => None,
    }
}

fn parse_text(file: &Path, text: &str) -> Result<Value, Diagnostic> {
    let at_file = || Location::File(file.to_path_buf());
    let is_json = file.extension().is_some_and(|ext| ext == "json");
    if is_json {
        return serde_json::from_str(text).map_err(|error| {
            Diagnostic::new(
                Location::LineColumn {
                    file: file.to_path_buf(),
                    line: error.line(),
                    column: error.column(),
                },
                format!("invalid JSON: {error}"),
            )
        });
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| {
        let location = match error.location() {
            Some(place) => Location::LineColumn {
                file: file.to_path_buf(),
                line: place.line(),
                column: place.column(),
            },
            None => at_file(),
        };
        Diagnostic::new(location, format!("invalid YAML: {error}"))
    })?;
    yaml_to_json(yaml, file, "")
}

/// YAML values as JSON values; mapping keys that are numbers or booleans
/// (`200:` for a status) become their text.
fn yaml_to_json(value: serde_yaml::Value, file: &Path, pointer: &str) -> Result<Value, Diagnostic> {
    use serde_yaml::Value as Yaml;
    Ok(match value {
        Yaml::Null => Value::Null,
        Yaml::Bool(flag) => Value::Bool(flag),
        Yaml::Number(number) => {
            if let Some(integer) = number.as_i64() {
                Value::from(integer)
            } else if let Some(integer) = number.as_u64() {
                Value::from(integer)
            } else {
                let float = number.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(float)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        Diagnostic::new(
                            Location::pointer(file, pointer),
                            format!("the number {number} has no JSON form"),
                        )
                    })?
            }
        }
        Yaml::String(text) => Value::String(text),
        Yaml::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(index, item)| {
                    yaml_to_json(item, file, &push_pointer(pointer, &index.to_string()))
                })
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(mapping) => {
            let mut object = Map::new();
            for (key, item) in mapping {
                let key = match key {
                    Yaml::String(text) => text,
                    Yaml::Number(number) => number.to_string(),
                    Yaml::Bool(flag) => flag.to_string(),
                    Yaml::Null => "null".to_owned(),
                    other => {
                        return Err(Diagnostic::new(
                            Location::pointer(file, pointer),
                            format!("a mapping key must be text, found {other:?}"),
                        ))
                    }
                };
                let item = yaml_to_json(item, file, &push_pointer(pointer, &key))?;
                object.insert(key, item);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value, file, pointer)?,
    })
}
