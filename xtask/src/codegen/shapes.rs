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
    MapOf(Leaf),
    /// A list of nodes of this shape (`parameters`, `allOf`, …).
    ListOf(Leaf),
}

/// The shapes a map or a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    Server,
    ServerVariable,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Header,
    Schema,
}

impl Leaf {
    pub fn shape(self) -> Shape {
        match self {
            Self::Server => Shape::Server,
            Self::ServerVariable => Shape::ServerVariable,
            Self::Parameter => Shape::Parameter,
            Self::RequestBody => Shape::RequestBody,
            Self::Response => Shape::Response,
            Self::MediaType => Shape::MediaType,
            Self::Header => Shape::Header,
            Self::Schema => Shape::Schema,
        }
    }
}

impl Shape {
    /// The shape of the child at `key`, where reading again can look.
    pub fn child(self, key: &str) -> Option<Shape> {
        use Leaf as L;
        if key.starts_with("x-") && !matches!(self, Shape::MapOf(L::Schema | L::MediaType)) {
            return None;
        }
        Some(match (self, key) {
            (Shape::Document, "paths") => Shape::Paths,
            (Shape::Document, "components") => Shape::Components,
            (Shape::Components, "schemas") => Shape::MapOf(L::Schema),
            (Shape::Components, "responses") => Shape::MapOf(L::Response),
            (Shape::Components, "parameters") => Shape::MapOf(L::Parameter),
            (Shape::Components, "requestBodies") => Shape::MapOf(L::RequestBody),
            (Shape::Components, "headers") => Shape::MapOf(L::Header),
            (Shape::Document | Shape::PathItem | Shape::Operation, "servers") => {
                Shape::ListOf(L::Server)
            }
            (Shape::Server, "variables") => Shape::MapOf(L::ServerVariable),
            (Shape::Paths, _) => Shape::PathItem,
            (
                Shape::PathItem,
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace",
            ) => Shape::Operation,
            (Shape::PathItem | Shape::Operation, "parameters") => Shape::ListOf(L::Parameter),
            (Shape::Operation, "requestBody") => Shape::RequestBody,
            (Shape::Operation, "responses") => Shape::MapOf(L::Response),
            (Shape::Parameter | Shape::MediaType | Shape::Header, "schema") => Shape::Schema,
            (Shape::Parameter | Shape::RequestBody | Shape::Response, "content") => {
                Shape::MapOf(L::MediaType)
            }
            (Shape::Response, "headers") => Shape::MapOf(L::Header),
            (Shape::Schema, "properties") => Shape::MapOf(L::Schema),
            (Shape::Schema, "items" | "not" | "additionalProperties") => Shape::Schema,
            (Shape::Schema, "allOf" | "anyOf" | "oneOf") => Shape::ListOf(L::Schema),
            (Shape::MapOf(leaf), _) => leaf.shape(),
            (Shape::ListOf(leaf), index) if index.parse::<usize>().is_ok() => leaf.shape(),
            _ => return None,
        })
    }
}
