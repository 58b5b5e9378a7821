//! Where a JSON pointer's node is in its file, as a line and column, for
//! reports: a refusal or warning located only by pointer is hard to find
//! in a file of thousands of lines.
//!
//! The reader keeps no positions (the bundle is built from plain JSON
//! values), so a file is read again for each node asked about, and only
//! for those. The YAML and JSON readers attach the position of the node
//! being read to an error its visitor raises, so the walk down the
//! pointer stops at its node with an error, and the error's position is
//! the answer. Reading stops there, half a file on average.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::super::diag::{unescape_pointer_segment, Location};
use super::read::{read_spec_file, KeyText};

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
        let mut found: BTreeMap<String, Option<(usize, usize)>> = BTreeMap::new();
        for location in locations {
            let Location::Pointer { pointer, .. } = &*location else {
                continue;
            };
            let place = *found
                .entry(pointer.clone())
                .or_insert_with(|| line_and_column(&file, &text, pointer));
            if let Some((line, column)) = place {
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

/// The line and column (1-based) of the node at `pointer` in `text`, the
/// text of `file`, or of the nearest node on the way to it.
fn line_and_column(file: &Path, text: &str, pointer: &str) -> Option<(usize, usize)> {
    let segments: Vec<String> = match pointer {
        "" => Vec::new(),
        pointer => pointer
            .strip_prefix('/')?
            .split('/')
            .map(unescape_pointer_segment)
            .collect(),
    };
    let seek = Seek { rest: &segments };
    if file.extension().is_some_and(|ext| ext == "json") {
        let mut reader = serde_json::Deserializer::from_str(text);
        let error = seek.deserialize(&mut reader).err()?;
        is_found(&error).then(|| (error.line(), error.column()))
    } else {
        let reader = serde_yaml::Deserializer::from_str(text);
        let error = seek.deserialize(reader).err()?;
        let place = error.location().filter(|_| is_found(&error))?;
        Some((place.line(), place.column()))
    }
}

/// What the walk raises at its node; any other error is the file's own.
const FOUND: &str = "the node the pointer names";

fn is_found(error: &impl fmt::Display) -> bool {
    error.to_string().contains(FOUND)
}

/// The walk to the node at the pointer whose segments are `rest`.
struct Seek<'s> {
    rest: &'s [String],
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Seek<'_> {
    /// The node is reached (or the pointer goes on past a scalar).
    fn found<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML or JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((segment, rest)) = self.rest.split_first() else {
            return self.found();
        };
        while let Some(KeyText(key)) = map.next_key()? {
            if key == *segment {
                return map.next_value_seed(Seek { rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        self.found()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((segment, rest)) = self.rest.split_first() else {
            return self.found();
        };
        let Ok(wanted) = segment.parse::<usize>() else {
            return self.found();
        };
        for _ in 0..wanted {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return self.found();
            }
        }
        match seq.next_element_seed(Seek { rest })? {
            Some(()) => Ok(()),
            None => self.found(),
        }
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, tagged: A) -> Result<(), A::Error> {
        use de::VariantAccess as _;
        let (_tag, value): (IgnoredAny, _) = tagged.variant()?;
        value.newtype_variant_seed(self)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.found()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.found()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.found()
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.found()
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.found()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.found()
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.found()
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.found()
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.found()
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
        line_and_column(Path::new(file), text, pointer)
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
        // No `post`: the path item; no third parameter: the list.
        assert_eq!(at(YAML, "a.yaml", "/paths/~1pets~1{id}/post"), Some((4, 5)));
        assert_eq!(
            at(YAML, "a.yaml", "/paths/~1pets~1{id}/get/parameters/2"),
            Some((6, 9))
        );
        assert_eq!(at(YAML, "a.yaml", "/openapi/deeper"), Some((1, 10)));
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
