//! Where a JSON pointer's node is in its file, as a line and column, for
//! reports: a refusal or warning located only by pointer is hard to find
//! in a file of thousands of lines.
//!
//! The reader keeps no positions (the bundle is built from plain JSON
//! values), so each file a report names is read once more, down the
//! pointers asked about only (everything else is skipped unread). The
//! YAML and JSON readers attach the position of the scalar being read to
//! an error its visitor raises, and reading goes on after such an error
//! (the scalar is consumed), so the walk raises one at the first scalar
//! of each node it is asked about (a key, for a mapping), catches it, and
//! keeps the position: one reading per file, however many pointers.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::super::diag::{append_pointer_segment, Location};
use super::read::read_spec_file;

/// Gives each location that is a pointer into a file that can be read its
/// line and column ([`Location::Node`]); the others stay as they are. A
/// pointer past what the file has is placed at the nearest node it has.
pub fn add_lines<'l>(locations: impl IntoIterator<Item = &'l mut Location>) {
    let mut by_file: BTreeMap<PathBuf, Vec<&mut Location>> = BTreeMap::new();
    for location in locations {
        if let Location::Pointer { file, .. } = location {
            by_file.entry(file.clone()).or_default().push(location);
        }
    }
    for (file, locations) in by_file {
        let Ok(text) = read_spec_file(&file) else {
            continue;
        };
        let wanted: BTreeSet<String> = locations
            .iter()
            .filter_map(|location| match &**location {
                Location::Pointer { pointer, .. } => Some(pointer.clone()),
                _ => None,
            })
            .collect();
        let places = lines_and_columns(&file, &text, &wanted);
        for location in locations {
            let Location::Pointer { pointer, .. } = &*location else {
                continue;
            };
            if let Some(&(line, column)) = places.get(pointer.as_str()) {
                *location = Location::Node {
                    file: file.clone(),
                    pointer: pointer.clone(),
                    line,
                    column,
                };
            }
        }
    }
}

/// The line and column (1-based) of the node at each of `pointers` in
/// `text`, the text of `file`, or of the nearest node on the way to it.
fn lines_and_columns<'p>(
    file: &Path,
    text: &str,
    pointers: &'p BTreeSet<String>,
) -> BTreeMap<&'p str, (usize, usize)> {
    let mut on_the_way = BTreeSet::new();
    for pointer in pointers {
        let mut prefix = pointer.as_str();
        loop {
            on_the_way.insert(prefix.to_owned());
            match prefix.rfind('/') {
                Some(cut) => prefix = &prefix[..cut],
                None => break,
            }
        }
        on_the_way.insert(String::new());
    }
    let walk = RefCell::new(Walk {
        on_the_way,
        pending: Vec::new(),
        found: BTreeMap::new(),
    });
    let root = Node {
        walk: &walk,
        pointer: String::new(),
    };
    // A failure is the file's own (it was read once already): the nodes
    // found before it keep their places.
    if file.extension().is_some_and(|ext| ext == "json") {
        let mut reader = serde_json::Deserializer::from_str(text);
        let _ = caught(&walk, root.deserialize(&mut reader));
    } else {
        let _ = caught(
            &walk,
            root.deserialize(serde_yaml::Deserializer::from_str(text)),
        );
    }
    let found = walk.into_inner().found;
    pointers
        .iter()
        .filter_map(|pointer| {
            // The node, else the nearest one on the way to it.
            let mut prefix = pointer.as_str();
            loop {
                if let Some(place) = found.get(prefix) {
                    return Some((pointer.as_str(), *place));
                }
                prefix = &prefix[..prefix.rfind('/')?];
            }
        })
        .collect()
}

/// What the walk knows: which nodes to place, which have begun and wait
/// for their first scalar, and where those found are.
struct Walk {
    /// The pointers asked about and every pointer on the way to them.
    on_the_way: BTreeSet<String>,
    pending: Vec<String>,
    found: BTreeMap<String, (usize, usize)>,
}

/// Marks the message of the error the walk raises at a scalar; the text
/// between the marks is the scalar's (a key is needed to go on).
const MARK: char = '\u{1f}';

/// Takes the walk's own error out of `result`: the pending nodes are at
/// its position, and the scalar it was raised at is handed back as text
/// (a key is needed to go on). Any other error is passed on.
fn caught<T, E: fmt::Display>(walk: &RefCell<Walk>, result: Result<T, E>) -> Result<Read<T>, E> {
    let error = match result {
        Ok(value) => return Ok(Read::Value(value)),
        Err(error) => error,
    };
    let shown = error.to_string();
    let Some(text) = shown.split(MARK).nth(1) else {
        return Err(error);
    };
    // The YAML reader leaves out a position at the very start.
    let place = position(&shown).unwrap_or((1, 1));
    let mut walk = walk.borrow_mut();
    for pointer in std::mem::take(&mut walk.pending) {
        walk.found.entry(pointer).or_insert(place);
    }
    Ok(Read::Scalar(text.to_owned()))
}

/// What reading a node gave: its value, or, where the walk raised its own
/// error to learn the position, the scalar's text.
enum Read<T> {
    Value(T),
    Scalar(String),
}

/// `… at line L column C`, as both readers end their errors.
fn position(shown: &str) -> Option<(usize, usize)> {
    let (_, tail) = shown.rsplit_once(" at line ")?;
    let (line, column) = tail.split_once(" column ")?;
    let column: String = column.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// A node at `pointer`: read down to what is asked about, skipped if
/// nothing is under it.
struct Node<'w> {
    walk: &'w RefCell<Walk>,
    pointer: String,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        {
            let mut walk = self.walk.borrow_mut();
            if walk.on_the_way.contains(&self.pointer) {
                walk.pending.push(self.pointer.clone());
            } else if walk.pending.is_empty() {
                // Nothing asked about is here, and no node waits for
                // a scalar of it.
                drop(walk);
                return deserializer.deserialize_ignored_any(IgnoredAny).map(|_| ());
            }
        }
        deserializer.deserialize_any(self)
    }
}

impl Node<'_> {
    /// A scalar: where nodes wait for their position, the walk's error
    /// (carrying the scalar's text) is raised here.
    fn scalar<E: de::Error>(&self, text: impl fmt::Display) -> Result<String, E> {
        if self.walk.borrow().pending.is_empty() {
            Ok(text.to_string())
        } else {
            Err(E::custom(format_args!("{MARK}{text}{MARK}")))
        }
    }

    fn child(&self, segment: &str) -> Node<'_> {
        let mut pointer = self.pointer.clone();
        append_pointer_segment(&mut pointer, segment);
        Node {
            walk: self.walk,
            pointer,
        }
    }

    /// A collection is done: a node still waiting is empty, and is placed
    /// where its parent is.
    fn done(&self) {
        self.walk
            .borrow_mut()
            .pending
            .retain(|pointer| *pointer != self.pointer);
    }
}

/// A mapping key as text, through the node's [`Node::scalar`].
struct Key<'n, 'w>(&'n Node<'w>);

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// The scalar visits of a key and of a node are the same: text, or the
/// walk's error.
macro_rules! scalar_visits {
    ($value:ty) => {
        fn visit_bool<E: de::Error>(self, flag: bool) -> Result<$value, E> {
            self.scalar_of(flag)
        }
        fn visit_i64<E: de::Error>(self, integer: i64) -> Result<$value, E> {
            self.scalar_of(integer)
        }
        fn visit_u64<E: de::Error>(self, integer: u64) -> Result<$value, E> {
            self.scalar_of(integer)
        }
        fn visit_i128<E: de::Error>(self, integer: i128) -> Result<$value, E> {
            self.scalar_of(integer)
        }
        fn visit_u128<E: de::Error>(self, integer: u128) -> Result<$value, E> {
            self.scalar_of(integer)
        }
        fn visit_f64<E: de::Error>(self, float: f64) -> Result<$value, E> {
            self.scalar_of(float)
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<$value, E> {
            self.scalar_of(text)
        }
        fn visit_unit<E: de::Error>(self) -> Result<$value, E> {
            self.scalar_of("null")
        }
        fn visit_none<E: de::Error>(self) -> Result<$value, E> {
            self.scalar_of("null")
        }
    };
}

impl Key<'_, '_> {
    fn scalar_of<E: de::Error>(self, text: impl fmt::Display) -> Result<String, E> {
        self.0.scalar(text)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }

    scalar_visits!(String);
}

impl Node<'_> {
    fn scalar_of<E: de::Error>(self, text: impl fmt::Display) -> Result<(), E> {
        self.scalar(text).map(|_| ())
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML or JSON value")
    }

    scalar_visits!(());

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        loop {
            let key = match caught(self.walk, map.next_key_seed(Key(&self)))? {
                Read::Value(Some(key)) | Read::Scalar(key) => key,
                Read::Value(None) => break,
            };
            caught(self.walk, map.next_value_seed(self.child(&key)))?;
        }
        self.done();
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for index in 0.. {
            match caught(
                self.walk,
                seq.next_element_seed(self.child(&index.to_string())),
            )? {
                Read::Value(None) => break,
                Read::Value(Some(())) | Read::Scalar(_) => {}
            }
        }
        self.done();
        Ok(())
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, tagged: A) -> Result<(), A::Error> {
        use de::VariantAccess as _;
        let (_tag, value): (IgnoredAny, _) = tagged.variant()?;
        value.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "\
openapi: 3.0.1
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
        - name: q
          in: query
          schema: {type: string}
      responses:
        '200':
          description: ok
";

    fn at(text: &str, file: &str, pointer: &str) -> Option<(usize, usize)> {
        let wanted = BTreeSet::from([pointer.to_owned()]);
        lines_and_columns(Path::new(file), text, &wanted)
            .get(pointer)
            .copied()
    }

    #[test]
    fn a_yaml_node_is_found_at_its_line_and_column() {
        assert_eq!(at(YAML, "a.yaml", "/openapi"), Some((1, 10)));
        assert_eq!(
            at(YAML, "a.yaml", "/paths/~1pets~1{id}/get/parameters/1/in"),
            Some((9, 15))
        );
        assert_eq!(
            at(
                YAML,
                "a.yaml",
                "/paths/~1pets~1{id}/get/parameters/1/schema/type"
            ),
            Some((10, 26))
        );
        assert_eq!(
            at(YAML, "a.yaml", "/paths/~1pets~1{id}/get/responses/200"),
            Some((13, 11))
        );
    }

    #[test]
    fn a_pointer_past_the_file_is_placed_at_the_nearest_node() {
        // No `post`: the path item (its first key); no third parameter:
        // the list (the first key of its first item).
        assert_eq!(at(YAML, "a.yaml", "/paths/~1pets~1{id}/post"), Some((4, 5)));
        assert_eq!(
            at(YAML, "a.yaml", "/paths/~1pets~1{id}/get/parameters/2"),
            Some((6, 11))
        );
        assert_eq!(at(YAML, "a.yaml", "/openapi/deeper"), Some((1, 10)));
    }

    #[test]
    fn every_node_asked_about_is_found_in_one_reading() {
        let wanted: BTreeSet<String> = [
            "/openapi",
            "/paths/~1pets~1{id}/get/parameters/0/in",
            "/paths/~1pets~1{id}/get/parameters/1",
            "/paths/~1pets~1{id}/get/parameters/1/schema/type",
            "/paths/~1pets~1{id}/get/responses/200/description",
            "/paths/~1pets~1{id}/get/responses/404",
            "/info",
        ]
        .map(str::to_owned)
        .into();
        let places = lines_and_columns(Path::new("a.yaml"), YAML, &wanted);
        let places: Vec<(&str, (usize, usize))> = places.into_iter().collect();
        assert_eq!(
            places,
            [
                ("/info", (1, 1)),
                ("/openapi", (1, 10)),
                ("/paths/~1pets~1{id}/get/parameters/0/in", (7, 15)),
                ("/paths/~1pets~1{id}/get/parameters/1", (8, 11)),
                ("/paths/~1pets~1{id}/get/parameters/1/schema/type", (10, 26)),
                (
                    "/paths/~1pets~1{id}/get/responses/200/description",
                    (13, 24)
                ),
                ("/paths/~1pets~1{id}/get/responses/404", (12, 9)),
            ]
        );
    }

    #[test]
    fn a_json_node_is_found_too() {
        let json = "{\n  \"a\": [1,\n    {\"b\": true}]\n}\n";
        let (line, _) = at(json, "a.json", "/a/1/b").unwrap();
        assert_eq!(line, 3);
    }

    #[test]
    fn locations_in_a_readable_file_get_lines_and_others_stay() {
        let tmp = crate::target_dir().join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let folder = tempfile::Builder::new()
            .prefix("lines-")
            .tempdir_in(tmp)
            .unwrap();
        let file = folder.path().join("api.yaml");
        std::fs::write(&file, YAML).unwrap();
        let mut locations = [
            Location::pointer(&file, "/paths/~1pets~1{id}/get/responses/200"),
            Location::pointer(&folder.path().join("absent.yaml"), "/paths"),
            Location::File(file.clone()),
        ];
        let before = locations.clone();
        add_lines(&mut locations);
        assert_eq!(
            locations[0],
            Location::Node {
                file: file.clone(),
                pointer: "/paths/~1pets~1{id}/get/responses/200".to_owned(),
                line: 13,
                column: 11,
            }
        );
        assert_eq!(locations[1..], before[1..]);
    }
}
