//! What each node of an OpenAPI document is, told by the keys on the way
//! to it (`paths` → a path item → `get` → an operation → `parameters` →
//! a list of parameters …): the one place that knows, for the passes that
//! walk a document as plain JSON (reading off-spec details as meant,
//! finding where a refused document goes wrong).

/// What an OpenAPI node is: a type of its own, or a map or list of nodes
/// of one shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Header,
    Schema,
    Server,
    ServerVariable,
    /// `paths`: path items by path (besides `x-` extensions).
    Paths,
    /// A map of nodes of this shape (`content`, `properties`, …).
    MapOf(&'static Shape),
    /// A list of nodes of this shape (`parameters`, `allOf`, …).
    ListOf(&'static Shape),
}

impl Shape {
    /// The shape of the child at `key`, where reading again can look.
    pub fn child(self, key: &str) -> Option<Shape> {
        if key.starts_with("x-") && !matches!(self, Shape::MapOf(Shape::Schema | Shape::MediaType))
        {
            return None;
        }
        Some(match (self, key) {
            (Shape::Document, "paths") => Shape::Paths,
            (Shape::Document, "components") => Shape::Components,
            (Shape::Components, "schemas") => Shape::MapOf(&Shape::Schema),
            (Shape::Components, "responses") => Shape::MapOf(&Shape::Response),
            (Shape::Components, "parameters") => Shape::MapOf(&Shape::Parameter),
            (Shape::Components, "requestBodies") => Shape::MapOf(&Shape::RequestBody),
            (Shape::Components, "headers") => Shape::MapOf(&Shape::Header),
            (Shape::Document | Shape::PathItem | Shape::Operation, "servers") => {
                Shape::ListOf(&Shape::Server)
            }
            (Shape::Server, "variables") => Shape::MapOf(&Shape::ServerVariable),
            (Shape::Paths, _) => Shape::PathItem,
            (
                Shape::PathItem,
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace",
            ) => Shape::Operation,
            (Shape::PathItem | Shape::Operation, "parameters") => Shape::ListOf(&Shape::Parameter),
            (Shape::Operation, "requestBody") => Shape::RequestBody,
            (Shape::Operation, "responses") => Shape::MapOf(&Shape::Response),
            (Shape::Parameter | Shape::MediaType | Shape::Header, "schema") => Shape::Schema,
            (Shape::Parameter | Shape::RequestBody | Shape::Response, "content") => {
                Shape::MapOf(&Shape::MediaType)
            }
            (Shape::Response, "headers") => Shape::MapOf(&Shape::Header),
            (Shape::Schema, "properties") => Shape::MapOf(&Shape::Schema),
            (Shape::Schema, "items" | "not" | "additionalProperties") => Shape::Schema,
            (Shape::Schema, "allOf" | "anyOf" | "oneOf") => Shape::ListOf(&Shape::Schema),
            (Shape::MapOf(shape), _) => *shape,
            (Shape::ListOf(shape), index) if index.parse::<usize>().is_ok() => *shape,
            _ => return None,
        })
    }
}
