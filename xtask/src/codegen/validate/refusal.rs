//! Where a document that is not OpenAPI 3.0 goes wrong, to the node.
//!
//! The OpenAPI types read much of a document through flattened maps and
//! untagged enums (`paths`, `responses`, every schema, `$ref`-or-item),
//! which read a node whole before deciding what it is, so the path to an
//! error inside one is lost: a wrong keyword deep in an operation is
//! reported at `#/paths`. From there the node's children are read again,
//! each as the type its key says it is, down to the deepest one that
//! fails on its own.

use openapiv3::{
    Components, Header, MediaType, OpenAPI, Operation, Parameter, PathItem, RequestBody, Response,
    Schema, Server, ServerVariable,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::super::diag::{push_pointer, unescape_pointer_segment};
use super::super::shapes::Shape;

/// Where in the document reading it as OpenAPI 3.0 fails (a pointer),
/// and why; `None` when it reads.
pub fn refusal(document: &Value) -> Option<(String, String)> {
    deepest(document, Shape::Document)
}

/// Reads `value` as `shape`'s own type: where it fails, and why. A map or
/// list has no type of its own: its children are read.
fn read(shape: Shape, value: &Value) -> Option<(String, String)> {
    match shape {
        Shape::Document => read_as::<OpenAPI>(value),
        Shape::Components => read_as::<Components>(value),
        Shape::PathItem => read_as::<PathItem>(value),
        Shape::Operation => read_as::<Operation>(value),
        Shape::Parameter => read_as::<Parameter>(value),
        Shape::RequestBody => read_as::<RequestBody>(value),
        Shape::Response => read_as::<Response>(value),
        Shape::MediaType => read_as::<MediaType>(value),
        Shape::Header => read_as::<Header>(value),
        Shape::Schema => read_as::<Schema>(value),
        Shape::Server => read_as::<Server>(value),
        Shape::ServerVariable => read_as::<ServerVariable>(value),
        Shape::Paths | Shape::MapOf(_) | Shape::ListOf(_) => {
            children(value).find_map(|(key, child)| {
                let (within, message) = read(shape.child(&key)?, child)?;
                Some((format!("{}{within}", push_pointer("", &key)), message))
            })
        }
    }
}

/// The deepest node under `value` (a `shape`) that fails to read on its
/// own, as a pointer from `value`, with why.
fn deepest(value: &Value, shape: Shape) -> Option<(String, String)> {
    let (within, message) = read(shape, value)?;
    // The node the reader blamed, and its shape if the keys on the way
    // say it.
    let mut node = value;
    let mut node_shape = Some(shape);
    for segment in within.split('/').skip(1).map(unescape_pointer_segment) {
        let child = match node {
            Value::Object(map) => map.get(&segment),
            Value::Array(items) => segment
                .parse()
                .ok()
                .and_then(|index: usize| items.get(index)),
            _ => None,
        };
        // A path the reader made up (an enum's variant): blamed as it is.
        let Some(child) = child else {
            return Some((within, message));
        };
        node = child;
        node_shape = node_shape.and_then(|shape| shape.child(&segment));
    }
    let Some(node_shape) = node_shape else {
        return Some((within, message));
    };
    let inner = children(node).find_map(|(key, child)| {
        let (below, message) = deepest(child, node_shape.child(&key)?)?;
        Some((format!("{}{below}", push_pointer("", &key)), message))
    });
    let inner = inner.or_else(|| {
        let key = (node_shape == Shape::Schema)
            .then(|| failing_keyword(node))
            .flatten()?;
        Some((push_pointer("", &key), message.clone()))
    });
    Some(match inner {
        Some((below, message)) => (format!("{within}{below}"), message),
        None => (within, message),
    })
}

/// The keyword of a schema that fails to read on its own (with the
/// schema's `type`, which says what the other keywords mean): a schema's
/// keywords are read through flattened parts, which lose the path.
fn failing_keyword(schema: &Value) -> Option<String> {
    let Value::Object(map) = schema else {
        return None;
    };
    map.iter().find_map(|(key, value)| {
        let mut alone = serde_json::Map::new();
        if let Some(kind) = map.get("type") {
            alone.insert("type".to_owned(), kind.clone());
        }
        alone.insert(key.clone(), value.clone());
        read_as::<Schema>(&Value::Object(alone)).map(|_| key.clone())
    })
}

/// The children of a map or list, by key or index; a `$ref` has none
/// worth reading (what it names is read where it is), but a property
/// named `$ref` (a schema, not text) is one.
fn children(value: &Value) -> Box<dyn Iterator<Item = (String, &Value)> + '_> {
    match value {
        Value::Object(map) if !map.get("$ref").is_some_and(Value::is_string) => {
            Box::new(map.iter().map(|(key, child)| (key.clone(), child)))
        }
        Value::Array(items) => Box::new(
            items
                .iter()
                .enumerate()
                .map(|(index, child)| (index.to_string(), child)),
        ),
        _ => Box::new(std::iter::empty()),
    }
}

/// Reads `value` as a `T`, tracking the path: where it fails, and why.
fn read_as<T: DeserializeOwned>(value: &Value) -> Option<(String, String)> {
    let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
    let pointer = error
        .path()
        .iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
            serde_path_to_error::Segment::Unknown => None,
        })
        .fold(String::new(), |pointer, segment| {
            push_pointer(&pointer, &segment)
        });
    Some((pointer, error.inner().to_string()))
}
