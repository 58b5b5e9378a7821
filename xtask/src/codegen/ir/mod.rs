//! The intermediate representation: everything the emitters need, with
//! every name decided and every list sorted. Emitters read only this.

pub mod passes;

use std::collections::{BTreeMap, BTreeSet};

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// The path of the first server URL, such as `/v2025`.
    pub server_base_path: String,
    /// The pattern of the API reference's page of an operation
    /// (`info.x-reference-url`, with `{operationId}` or `{operation-id}`).
    pub reference_url: Option<String>,
    /// By Rust type name.
    pub types: BTreeMap<String, TypeDef>,
    /// Sorted by module name.
    pub groups: Vec<Group>,
    /// The crate's `#![recursion_limit]`, when rustc's default is not
    /// enough to prove its types `Send` ([`passes::recursion_limit`]).
    pub recursion_limit: Option<usize>,
}

/// The cargo feature that compiles everything.
pub const ALL_FEATURE: &str = "all";

/// The type `ty` stands for, its aliases followed; a chain longer than
/// there are types (a cycle the lowering let through) stops where it is.
pub fn resolve_aliases<'a>(types: &'a BTreeMap<String, TypeDef>, ty: &'a TypeRef) -> &'a TypeRef {
    let mut current = ty;
    for _ in 0..types.len() {
        let TypeRef::Named(name) = current else {
            break;
        };
        match types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Alias(target)) => current = target,
            _ => break,
        }
    }
    current
}

impl Api {
    pub fn operation_count(&self) -> usize {
        self.groups.iter().map(|group| group.operations.len()).sum()
    }
}

/// The operations of one tag, reached with `client.<method>()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub tag: String,
    pub description: Option<String>,
    /// Module and accessor method name (`classify_source`).
    pub module: String,
    /// Type name (`ClassifySource`).
    pub type_name: String,
    /// The cargo feature that compiles the tag, when the crate has several.
    pub feature: String,
    /// Sorted by function name.
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// The name, upper case, as on the wire and in `http::Method`'s constants.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub operation_id: String,
    pub method: Method,
    pub path_template: String,
    /// Method of the group that starts the request.
    pub fn_name: String,
    /// The request builder type.
    pub builder_name: String,
    /// The error enum type.
    pub error_name: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub path: Vec<PathPart>,
    /// Path parameters first, in template order, then the others by name.
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub success: Success,
    /// The `Accept` header: the media types of the success answer.
    pub accept: String,
    /// Sorted by status.
    pub errors: Vec<ErrorCase>,
    /// How the operation's collection is walked page by page, if it is one.
    pub paging: Option<Paging>,
}

/// A collection answered a page at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// `offset` and `limit` query parameters (SailPoint's standard
    /// collection parameters), the answer a list.
    Offset(OffsetPaging),
    /// A `limit` query parameter and a JSON body with `sort` and
    /// `searchAfter` lists of text (SailPoint's search), the answer a list:
    /// each page starts after the sort values of the last item.
    SearchAfter(SearchAfterPaging),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchAfterPaging {
    /// Indexes into [`Operation::params`].
    pub limit: usize,
    pub count: Option<usize>,
    /// As [`OffsetPaging::page_limit`].
    pub page_limit: u64,
    pub item: TypeRef,
    /// The body's `sort` and `searchAfter` fields.
    pub sort: BodyField,
    pub search_after: BodyField,
}

/// A field of a request body's struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyField {
    pub ident: String,
    /// Else `Option<…>`.
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetPaging {
    /// Indexes into [`Operation::params`].
    pub offset: usize,
    pub limit: usize,
    /// The `count` parameter that asks for `X-Total-Count`, if any.
    pub count: Option<usize>,
    /// The largest page the spec allows: `limit`'s maximum, else its
    /// default, else [`DEFAULT_PAGE_LIMIT`].
    pub page_limit: u64,
    /// The type of one item.
    pub item: TypeRef,
}

/// The page size asked for when the spec gives `limit` neither a maximum
/// nor a default: SailPoint's standard maximum.
pub const DEFAULT_PAGE_LIMIT: u64 = 250;

/// The body of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The Rust name of the body's argument, field and setter.
    pub ident: String,
    pub kind: BodyKind,
    /// The media type sent as `Content-Type`.
    pub content_type: String,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// JSON (`application/json`, `application/json-patch+json`, …) of this type.
    Json(TypeRef),
    /// `application/x-www-form-urlencoded` fields of this type.
    Form(TypeRef),
    /// `multipart/form-data`, built with the runtime's `Multipart`; the
    /// spec's parts (name, description) for the docs.
    Multipart(Vec<(String, Option<String>)>),
    /// Bytes as they are.
    Binary,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// An index into [`Operation::params`].
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name on the wire.
    pub wire_name: String,
    /// The Rust name (argument, field and setter).
    pub ident: String,
    pub location: ParamLocation,
    /// Text, a scalar, a date, a string enum, or a list of one of these.
    pub ty: TypeRef,
    /// For lists: one `name=value` pair per item (else one, comma-joined).
    pub explode: bool,
    pub required: bool,
    /// The spec's default, as wire text (sent only for a required
    /// parameter: [`Param::sent_default`]).
    pub default: Option<ParamDefault>,
    pub description: Option<String>,
    /// The spec's example, as text.
    pub example: Option<String>,
    /// The `maximum` of an integer parameter.
    pub maximum: Option<i64>,
}

/// A parameter's default, as wire text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamDefault {
    /// One value.
    Text(String),
    /// The items of a list parameter.
    List(Vec<String>),
}

impl std::fmt::Display for ParamDefault {
    /// As the docs show it: the text, or the items joined with commas.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Text(text) => f.write_str(text),
            Self::List(items) => f.write_str(&items.join(",")),
        }
    }
}

impl Param {
    /// Required parameters without a default are arguments of the method
    /// that starts the request; the others have setters.
    pub fn is_argument(&self) -> bool {
        self.required && self.default.is_none()
    }

    /// The default the client sends when the caller sets nothing: only a
    /// required parameter's. An optional parameter the caller did not set
    /// is not sent, and the server applies its own default.
    pub fn sent_default(&self) -> Option<&ParamDefault> {
        self.default.as_ref().filter(|_| self.required)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    pub status: SuccessStatus,
    /// `None` when the answer has no body.
    pub body: Option<TypeRef>,
    pub description: String,
}

/// Which answers are a success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuccessStatus {
    /// The first documented 2xx status (others are decoded as it).
    Documented(u16),
    /// The spec documents no 2xx: any 2xx is a success, without body
    /// unless the only response is `default` (whose body it then is).
    Any2xx,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCase {
    pub status: ErrorStatus,
    pub variant: String,
    pub body: Option<TypeRef>,
    pub description: String,
    pub tracking_id: TrackingId,
}

/// Which answers an error case is; the codes sort before `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorStatus {
    /// This status.
    Code(u16),
    /// The spec's `default` response: every status not listed.
    Default,
}

impl std::fmt::Display for ErrorStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Code(status) => write!(f, "{status}"),
            Self::Default => f.write_str("default"),
        }
    }
}

/// Where the error body keeps its `trackingId`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackingId {
    Absent,
    /// An optional string field with this Rust name.
    Optional(String),
    /// A required string field with this Rust name.
    Required(String),
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    I32,
    I64,
    F32,
    F64,
    Bool,
    DateTime,
    Date,
    /// Any JSON value.
    Any,
    /// A JSON object with any members.
    Object,
    /// Bytes as received (a body that is not JSON).
    Bytes,
    /// A type of [`Api::types`].
    Named(String),
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    /// The file of the type under `models/`, without extension.
    pub module: String,
    pub description: Option<String>,
    pub kind: TypeKind,
    /// The features (of [`Group::feature`]) whose operations use the type,
    /// directly or through other types; empty when no operation does.
    pub features: BTreeSet<String>,
    /// The operations that use the type, directly or through other types.
    pub used_by: BTreeSet<OperationRef>,
    /// The spec's `example` of the schema, for the docs.
    pub example: Option<serde_json::Value>,
}

/// An operation, as other parts of the IR refer to it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OperationRef {
    /// [`Group::type_name`].
    pub group: String,
    /// [`Operation::fn_name`].
    pub fn_name: String,
}

impl TypeDef {
    /// A type as lowering makes it: its file, features and users are
    /// filled in later.
    pub fn new(name: String, description: Option<String>, kind: TypeKind) -> Self {
        Self {
            name,
            module: String::new(),
            description,
            kind,
            features: BTreeSet::new(),
            used_by: BTreeSet::new(),
            example: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct {
        /// In spec order.
        fields: Vec<Field>,
    },
    Enum {
        /// In spec order.
        variants: Vec<Variant>,
        /// The variant that keeps values this version does not know.
        fallback: String,
    },
    Alias(TypeRef),
    /// `oneOf` / `anyOf`: one of the variants' types.
    Union {
        variants: Vec<UnionVariant>,
        /// The property that names the variant, when the spec has a
        /// discriminator; else the first variant that decodes wins.
        discriminator: Option<String>,
        /// The variant that keeps values no other variant takes.
        fallback: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub ident: String,
    pub ty: TypeRef,
    /// The discriminator values that select this variant.
    pub tags: Vec<String>,
    /// Held in a `Box`, because the type contains itself through it.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub ident: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Held in a `Box`, because the type contains itself through it.
    pub boxed: bool,
    /// The spec's `example` of the property, for the docs.
    pub example: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub ident: String,
    pub value: String,
}
