//! Type names: the one owner of what a schema's Rust type and file are
//! called, and of what happens when two schemas want one name. The loader
//! asks it for the keys of schemas it bundles from other files; the
//! lowering asks it for every type name and file name.
//!
//! The rules, in the order they apply:
//! 1. A schema of `components/schemas` is named after its key, in Pascal
//!    case, with the word boundaries of lower-case keys recovered from the
//!    spec's vocabulary (`sourceclassificationstatus` →
//!    `SourceClassificationStatus`, see [`super::vocabulary`]). When keys
//!    of the root document make one name (`NullTime`, `nullTime`), the key
//!    that spells it keeps it (else the first in the spec's order) and
//!    each other one is numbered (`NullTime2`), with a warning.
//! 2. A schema of another file that the root does not name is keyed after
//!    the last segment of its pointer, else its file's stem. Copies of one
//!    schema in several files (same name, same content) are one schema.
//!    When different schemas (or a root key) make one name, each is
//!    qualified with as few of its folders as tell it apart, leaving out
//!    folders that only hold a kind of node (`v3_Owner`, `beta_Owner`;
//!    `roles_requestability` for `apis/roles/schemas/requestability.yaml`).
//! 3. A schema written inline is named after where it is (its object and
//!    property, its operation and role). When a different schema has that
//!    name, or it is a component's: `{name}Value`, then the name qualified
//!    with its folders and pointer. The same schema, or an identical one,
//!    reached again gets the type already made.
//! 4. Each type's file is its name in snake case, with a number when two
//!    names make one file name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openapiv3::Schema;

use super::diag::{unescape_pointer_segment, Diagnostic, Errors, Location};
use super::names::{pascal, snake, unique};
use super::vocabulary::Vocabulary;

/// The Rust type name of a component key (rule 1), its lower-case words
/// split as the spec's vocabulary says (`sourceclassificationstatus` →
/// `SourceClassificationStatus`).
pub fn component_type_name(key: &str, vocabulary: &Vocabulary) -> String {
    pascal(&vocabulary.split(key).spaced)
}

/// A schema of another file, to be bundled into `components/schemas`.
#[derive(Debug, Clone, Copy)]
pub struct BundledSchema<'a> {
    pub file: &'a Path,
    pub pointer: &'a str,
    /// The key of the root's `components/schemas` entry that is a `$ref`
    /// to it, if any.
    pub component_name: Option<&'a str>,
}

/// The `components/schemas` keys of bundled schemas (rule 2), in the order
/// given, never two making one type name with each other or with
/// `root_keys`. The result does not depend on the order files were read.
/// Copies of one schema are given once (see `load::copies`).
pub fn bundled_schema_keys(
    root_file: &Path,
    root_keys: &[&str],
    schemas: &[BundledSchema<'_>],
    vocabulary: &Vocabulary,
) -> Result<Vec<String>, Errors> {
    let type_name = |key: &str| component_type_name(key, vocabulary);
    let root_dir = root_file.parent().unwrap_or_else(|| Path::new(""));
    // How many schemas want each type name.
    let mut wanted: BTreeMap<String, usize> = BTreeMap::new();
    for key in root_keys {
        *wanted.entry(type_name(key)).or_default() += 1;
    }
    let plain: Vec<String> = schemas
        .iter()
        .map(|schema| match schema.component_name {
            Some(name) => name.to_owned(),
            None => plain_schema_name(schema.file, schema.pointer),
        })
        .collect();
    // Each plain name's type name, made once: the vocabulary's split is
    // the costly part, and the rivals of a name are looked up often.
    let plain_types: Vec<String> = plain.iter().map(|name| type_name(name)).collect();
    let mut by_type: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, (schema, name)) in schemas.iter().zip(&plain_types).enumerate() {
        by_type.entry(name).or_default().push(index);
        if schema.component_name.is_none() {
            *wanted.entry(name.clone()).or_default() += 1;
        }
    }
    let keys: Vec<String> = schemas
        .iter()
        .zip(&plain)
        .enumerate()
        .map(|(index, (schema, name))| {
            if schema.component_name.is_some() || wanted[&plain_types[index]] == 1 {
                name.clone()
            } else {
                let rivals = by_type[plain_types[index].as_str()]
                    .iter()
                    .filter(|other| **other != index)
                    .map(|other| &schemas[*other]);
                folder_qualified_key(&schemas[index], name, rivals, &wanted, root_dir, &type_name)
            }
        })
        .collect();
    let mut seen: BTreeMap<String, &BundledSchema<'_>> = BTreeMap::new();
    let mut errors = Vec::new();
    for (key, schema) in keys.iter().zip(schemas) {
        if let Some(first) = seen.insert(type_name(key), schema) {
            errors.push(Diagnostic::new(
                Location::pointer(schema.file, schema.pointer),
                format!(
                    "schema name `{key}` is also the name of {}",
                    Location::pointer(first.file, first.pointer)
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(keys)
    } else {
        Err(Errors(errors))
    }
}

/// Folders that hold a kind of node rather than say whose it is: they do
/// not tell two schemas apart (`apis/roles/schemas/owner.yaml` is the
/// roles' owner).
const CONTAINER_FOLDERS: &[&str] = &[
    "components",
    "definitions",
    "models",
    "parameters",
    "paths",
    "responses",
    "schemas",
];

/// The key of a schema whose plain name is shared: the plain name behind as
/// few of its folders as tell it apart from the others sharing it, else its
/// whole path and pointer.
fn folder_qualified_key<'s>(
    own: &BundledSchema<'_>,
    own_plain: &str,
    rivals: impl Iterator<Item = &'s BundledSchema<'s>>,
    wanted: &BTreeMap<String, usize>,
    root_dir: &Path,
    type_name: &impl Fn(&str) -> String,
) -> String {
    let rivals: Vec<&BundledSchema<'_>> = rivals.collect();
    let telling = |file: &Path| -> Vec<String> {
        folders(file, root_dir)
            .into_iter()
            .filter(|folder| !CONTAINER_FOLDERS.contains(&folder.as_str()))
            .collect()
    };
    let own_folders = telling(own.file);
    for depth in 1..=own_folders.len() {
        let prefix = |parts: &[String]| parts[parts.len().saturating_sub(depth)..].join("_");
        let candidate = format!("{}_{own_plain}", prefix(&own_folders));
        let clashes = rivals.iter().any(|rival| {
            let rival_key = format!("{}_{own_plain}", prefix(&telling(rival.file)));
            type_name(&rival_key) == type_name(&candidate)
        }) || wanted.contains_key(&type_name(&candidate));
        if !clashes {
            return candidate;
        }
    }
    let mut parts = folders(own.file, root_dir);
    parts.push(file_stem(own.file));
    parts.extend(own.pointer.split('/').skip(1).map(unescape_pointer_segment));
    parts.join("_")
}

/// The folders of `file` under the root's folder (`..` spelled `up`).
fn folders(file: &Path, root_dir: &Path) -> Vec<String> {
    let relative = file.strip_prefix(root_dir).unwrap_or(file);
    relative
        .parent()
        .into_iter()
        .flat_map(|parent| parent.components())
        .map(|part| part.as_os_str().to_string_lossy().replace("..", "up"))
        .collect()
}

/// The name a schema of another file goes by: the last segment of its
/// pointer, else its file's stem.
pub fn plain_schema_name(file: &Path, pointer: &str) -> String {
    match pointer.rsplit('/').next() {
        Some(segment) if !pointer.is_empty() => unescape_pointer_segment(segment),
        _ => file_stem(file),
    }
}

fn file_stem(file: &Path) -> String {
    file.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The outcome of [`TypeNames::claim`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The name is the schema's from now on: define the type under it.
    New(String),
    /// The same schema, or an identical one, has this name already.
    Existing(String),
}

/// Every candidate name of a schema belongs to a different schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoFreeName;

/// The type names given out so far.
#[derive(Debug, Default)]
pub struct TypeNames {
    /// Component type names → where the component is: no other schema may
    /// take them.
    reserved: BTreeMap<String, Location>,
    /// Type name → where the schema it was given to is, and the schema.
    given: BTreeMap<String, (Location, Option<Schema>)>,
}

/// The type names of the components (rule 1): by key, and the keys that
/// make the same name as another, renamed.
pub struct ComponentNames {
    pub by_key: BTreeMap<String, String>,
    /// Each key numbered because another key makes its name: the key, its
    /// name, and the key that keeps the name.
    pub renamed: Vec<Renamed>,
}

/// A component key numbered because another makes its name (rule 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    pub key: String,
    pub name: String,
    pub keeps_name: String,
}

impl TypeNames {
    /// Names the components, whose names no other schema may then take.
    pub fn for_components<'k>(
        components: impl IntoIterator<Item = (&'k str, Location)>,
        vocabulary: &Vocabulary,
    ) -> (Self, ComponentNames) {
        let mut keys_of: BTreeMap<String, Vec<(&str, Location)>> = BTreeMap::new();
        for (key, origin) in components {
            keys_of
                .entry(component_type_name(key, vocabulary))
                .or_default()
                .push((key, origin));
        }
        let mut names = Self::default();
        let mut components = ComponentNames {
            by_key: BTreeMap::new(),
            renamed: Vec::new(),
        };
        let mut later = Vec::new();
        for (name, mut keys) in keys_of {
            // The key that spells the name keeps it; else the first.
            let keeper = keys.iter().position(|(key, _)| *key == name).unwrap_or(0);
            let (key, origin) = keys.remove(keeper);
            names.reserved.insert(name.clone(), origin);
            components.by_key.insert(key.to_owned(), name.clone());
            later.extend(
                keys.into_iter()
                    .map(|(other, origin)| (name.clone(), key, other, origin)),
            );
        }
        // Numbered once every plain name is taken, so that a number never
        // makes another key's name.
        for (name, keeper, key, origin) in later {
            let numbered = unique(&name, "", |candidate| {
                names.reserved.contains_key(candidate)
            });
            names.reserved.insert(numbered.clone(), origin);
            components.by_key.insert(key.to_owned(), numbered.clone());
            components.renamed.push(Renamed {
                key: key.to_owned(),
                name: numbered,
                keeps_name: keeper.to_owned(),
            });
        }
        (names, components)
    }

    /// The name of the type for the schema at `origin` (rule 3), which
    /// wants `wanted`; `root_file` is the spec's root document.
    pub fn claim(
        &mut self,
        wanted: &str,
        origin: Location,
        schema: Option<&Schema>,
        root_file: &Path,
    ) -> Result<Claim, NoFreeName> {
        let candidates = [
            wanted.to_owned(),
            format!("{wanted}Value"),
            format!("{}{wanted}", qualifier(&origin, root_file)),
        ];
        for name in candidates {
            if self
                .reserved
                .get(&name)
                .is_some_and(|owner| !is_same_schema(owner, &origin))
            {
                continue;
            }
            match self.given.get(&name) {
                None => {
                    self.given.insert(name.clone(), (origin, schema.cloned()));
                    return Ok(Claim::New(name));
                }
                Some((first, _)) if *first == origin => return Ok(Claim::Existing(name)),
                Some((_, Some(first))) if schema == Some(first) => {
                    return Ok(Claim::Existing(name))
                }
                Some(_) => {}
            }
        }
        Err(NoFreeName)
    }
}

/// The file (module) names of types (rule 4), in the order given.
pub fn module_names<'n>(type_names: impl IntoIterator<Item = &'n str>) -> Vec<String> {
    let mut taken = BTreeSet::new();
    type_names
        .into_iter()
        .map(|name| {
            let module = unique(&snake(name), "_", |candidate| taken.contains(candidate));
            taken.insert(module.clone());
            module
        })
        .collect()
}

/// Whether `inner` is the schema at `outer`, or its only `allOf` member
/// (SailPoint wraps schemas so): both are the one type.
fn is_same_schema(outer: &Location, inner: &Location) -> bool {
    match (outer, inner) {
        (
            Location::Pointer { file, pointer },
            Location::Pointer {
                file: inner_file,
                pointer: inner_pointer,
            },
        ) if file == inner_file => inner_pointer
            .strip_prefix(pointer.as_str())
            .is_some_and(|rest| rest.split("/allOf/0").all(str::is_empty)),
        _ => outer == inner,
    }
}

/// What tells a schema's file apart: its folders under the spec's root
/// folder, and its pointer, in Pascal case.
fn qualifier(origin: &Location, root_file: &Path) -> String {
    let Location::Pointer { file, pointer } = origin else {
        return String::new();
    };
    let root_dir = root_file.parent().unwrap_or_else(|| Path::new(""));
    let relative = file.strip_prefix(root_dir).unwrap_or(file);
    let mut words: Vec<String> = relative
        .parent()
        .into_iter()
        .flat_map(|parent| parent.components())
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .filter(|part| part != "schemas" && part != "responses")
        .collect();
    words.extend(
        pointer
            .split('/')
            .skip(1)
            .filter(|part| *part != "properties")
            .map(unescape_pointer_segment),
    );
    pascal(&words.join(" "))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn bundled_schemas_keep_their_plain_name_unless_it_is_shared() {
        let root = PathBuf::from("/spec/api.yaml");
        let files = [
            PathBuf::from("/spec/v3/schemas/Owner.yaml"),
            PathBuf::from("/spec/beta/schemas/Owner.yaml"),
            PathBuf::from("/spec/v3/schemas/Source.yaml"),
            PathBuf::from("/spec/v3/schemas/Status.yaml"),
            PathBuf::from("/spec/v3/Local.yaml"),
        ];
        let schema = |index: usize, component_name: Option<&'static str>| BundledSchema {
            file: &files[index],
            pointer: "",
            component_name,
        };
        let keys = bundled_schema_keys(
            &root,
            &["Status", "local"],
            &[
                schema(0, None),
                schema(1, None),
                schema(2, None),
                schema(3, Some("Status")),
                schema(4, None),
            ],
            &Vocabulary::default(),
        )
        .unwrap();
        assert_eq!(
            keys,
            ["v3_Owner", "beta_Owner", "Source", "Status", "v3_Local"]
        );
    }

    #[test]
    fn copies_in_resource_folders_are_qualified_with_the_resource() {
        let root = PathBuf::from("/spec/sailpoint-api.root.yaml");
        let files = [
            PathBuf::from("/spec/apis/roles/schemas/requestability.yaml"),
            PathBuf::from("/spec/apis/dimensions/schemas/requestability.yaml"),
        ];
        let schemas: Vec<BundledSchema<'_>> = files
            .iter()
            .map(|file| BundledSchema {
                file,
                pointer: "",
                component_name: None,
            })
            .collect();
        let keys = bundled_schema_keys(&root, &[], &schemas, &Vocabulary::default()).unwrap();
        assert_eq!(keys, ["roles_requestability", "dimensions_requestability"]);
    }

    #[test]
    fn a_pointer_into_a_file_is_named_after_its_last_segment() {
        let root = PathBuf::from("/spec/api.yaml");
        let file = PathBuf::from("/spec/shared.yaml");
        let keys = bundled_schema_keys(
            &root,
            &[],
            &[BundledSchema {
                file: &file,
                pointer: "/definitions/Page~1Info",
                component_name: None,
            }],
            &Vocabulary::default(),
        )
        .unwrap();
        assert_eq!(keys, ["Page/Info"]);
    }

    #[test]
    fn an_inline_schema_yields_to_components_then_is_qualified() {
        let root = PathBuf::from("/spec/api.yaml");
        let component = Location::pointer(&root, "/components/schemas/Owner");
        let (mut names, components) =
            TypeNames::for_components([("owner", component.clone())], &Vocabulary::default());
        assert_eq!(components.by_key["owner"], "Owner");
        assert!(components.renamed.is_empty());
        // The only allOf member of the component is the component's type
        // (SailPoint wraps schemas so), and reached again it is that type.
        let wrapped = Location::pointer(&root, "/components/schemas/Owner/allOf/0");
        assert_eq!(
            names.claim("Owner", wrapped.clone(), None, &root),
            Ok(Claim::New("Owner".to_owned()))
        );
        assert_eq!(
            names.claim("Owner", wrapped, None, &root),
            Ok(Claim::Existing("Owner".to_owned()))
        );
        // A different schema that wants the name.
        let property = Location::pointer(&root, "/components/schemas/Item/properties/owner");
        assert_eq!(
            names.claim("Owner", property.clone(), None, &root),
            Ok(Claim::New("OwnerValue".to_owned()))
        );
        let other = Location::pointer(&root, "/paths/~1x/get/responses/200");
        assert_eq!(
            names.claim("Owner", other, None, &root),
            Ok(Claim::New("PathsXGetResponses200Owner".to_owned()))
        );
        assert_eq!(
            names.claim("Owner", property, None, &root),
            Ok(Claim::Existing("OwnerValue".to_owned()))
        );
    }

    #[test]
    fn component_keys_that_make_one_name_are_numbered_after_the_key_that_spells_it() {
        let root = PathBuf::from("/spec/api.yaml");
        let (_, components) = TypeNames::for_components(
            [
                ("user-id", Location::pointer(&root, "/a")),
                ("UserId", Location::pointer(&root, "/b")),
                ("userId", Location::pointer(&root, "/c")),
                ("UserId2", Location::pointer(&root, "/d")),
                ("null-time", Location::pointer(&root, "/e")),
                ("null_time", Location::pointer(&root, "/f")),
            ],
            &Vocabulary::default(),
        );
        let by_key: Vec<(&str, &str)> = components
            .by_key
            .iter()
            .map(|(key, name)| (key.as_str(), name.as_str()))
            .collect();
        assert_eq!(
            by_key,
            [
                ("UserId", "UserId"),
                ("UserId2", "UserId2"),
                ("null-time", "NullTime"),
                ("null_time", "NullTime2"),
                ("user-id", "UserId3"),
                ("userId", "UserId4"),
            ]
        );
        assert_eq!(
            components.renamed[0],
            Renamed {
                key: "null_time".to_owned(),
                name: "NullTime2".to_owned(),
                keeps_name: "null-time".to_owned(),
            }
        );
        assert_eq!(components.renamed.len(), 3);
    }

    #[test]
    fn module_names_are_snake_case_and_unique() {
        assert_eq!(
            module_names(["HttpServer", "HTTPServer", "Owner"]),
            ["http_server", "http_server_2", "owner"]
        );
    }
}
