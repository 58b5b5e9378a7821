//! The kinds of warnings: each quirk of a spec that generation works
//! around, with a short stable name for counting and a paragraph that says
//! what was done and what a maintainer can do about it
//! (`cargo xtask codegen --explain KIND`).

use std::fmt;

/// Declares the kinds: variant, name, explanation.
macro_rules! warning_kinds {
    ($($variant:ident = $name:literal: $explanation:literal,)*) => {
        /// A kind of quirk that generation worked around.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum WarningKind {
            $(
                #[doc = $explanation]
                $variant,
            )*
        }

        impl WarningKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [WarningKind] = &[$(Self::$variant),*];

            /// The short, stable name shown in `warning[name]`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// What the warning means, and what to do about it.
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Self::$variant => $explanation,)*
                }
            }
        }
    };
}

warning_kinds! {
    ExtensionSkipped = "extension-skipped":
        "An extension (`templates/extensions/<name>.rs`) needs something the spec lacks (an \
         operation, a type, a field or a value its needs file lists), and its needs file says \
         `when_missing: skip`: the crate is generated without it. The warning says what is \
         missing; with `when_missing: error` it would be an error instead.",
    SecuritySchemeUndefined = "security-scheme-undefined":
        "A security requirement names a scheme that `components/securitySchemes` does not \
         define (SailPoint's per-resource specs leave the schemes to the root that joins them, \
         and some operations name `UserContextAuth`, defined nowhere). The generated client \
         authenticates every request as it is configured (a bearer token, given or fetched \
         with client credentials), so nothing else changes. Define the scheme to silence this.",
    UnsplitName = "unsplit-name":
        "A schema key is written in lower case without word boundaries \
         (`sourceclassificationstatus`), and no sequence of the spec's own words (from its \
         operationIds, property and parameter names, tags, titles, enum values and prose) \
         spells it. The type name keeps the run as one word (`Revocability`). Use the word \
         somewhere in the spec, or give the key its boundaries (`source-classification-status`, \
         `SourceClassificationStatus`), to choose the name.",
    SchemaCopiesDiffer = "schema-copies-differ":
        "Several files define a schema under one name (each resource of a per-resource spec \
         has its own copy), and the copies are not identical. Identical copies are one type; \
         each different one is a type of its own, named after the folders that tell it apart \
         (`RolesRequestability`). The warning names what differs; make the copies identical \
         to get one type.",
    UnresolvedSchemaRef = "unresolved-schema-ref":
        "A `$ref` where a schema belongs names a node that its file does not have (such as \
         `#/components/schemas/oas_any_type_not_mapped`, left by a vendor's spec tooling). The \
         schema is taken to be any JSON value (`serde_json::Value`), so that the rest of the API \
         still generates; a `$ref` to a file that cannot be read is still an error. Define the \
         schema, or run with `--strict` to refuse such a spec.",
    NotAsJsonValue = "not-as-json-value":
        "A schema is a `not` schema. It allows almost any value, so the Rust type is \
         `serde_json::Value`: the value is kept as it was sent and nothing is checked. \
         Describe what the value is instead of what it is not to get a typed field.",
    UnionVariantWithoutTag = "union-variant-without-tag":
        "A `oneOf`/`anyOf` with a `discriminator` has a member written inline, which no \
         discriminator value can name (the mapping names schemas by `$ref`). The member is \
         still a variant of the enum for building requests, but an answer of its shape is \
         kept as JSON in the fallback variant. Move the member to `components/schemas` and map a value to it.",
    AllOfNonObject = "all-of-non-object":
        "An `allOf` merges several members into one struct, and one member is not an object \
         (a string, an array, a `oneOf`). It contributes no fields and is ignored. The other \
         members' properties are kept.",
    TypeNameCollision = "type-name-collision":
        "Two different schemas want the same Rust type name (an inline schema named after its \
         property clashing with a component, say). The later one, in the spec's order, is named \
         `{Name}Value`, or qualified with its folders and pointer. Give one of them a title or \
         move it to `components/schemas` under a name of its own to choose the name. Keys of \
         `components/schemas` that make one name (`NullTime` and `nullTime`) are each a type: \
         the key that spells the name keeps it (else the first), the others are numbered \
         (`NullTime2`); rename a key to choose.",
    FieldNameCollision = "field-name-collision":
        "Two properties of one object become the same Rust field name (`user_id` and `userId` \
         both become `user_id`). The later one gets a numbered suffix (`user_id_2`); both are \
         still read and written under their own JSON names.",
    EnumVariantCollision = "enum-variant-collision":
        "Two values of a string enum become the same Rust variant name (`in-progress` and \
         `IN_PROGRESS` both become `InProgress`). The later one gets a numbered suffix \
         (`InProgress2`); both values are still read and written as the spec spells them.",
    OperationIdDerived = "operation-id-derived":
        "An operation has no `operationId`. Its Rust names are derived from its method and path \
         (`GET /das/owners/{ownerId}/resources` becomes `get_das_owners_by_owner_id_resources`), \
         which change if the path changes. Add an `operationId` to choose stable names.",
    RequestBodyEmpty = "request-body-empty":
        "A `requestBody` has no `content`, so there is no media type or schema to send. The \
         operation is generated without a body.",
    CookieParameterSkipped = "cookie-parameter-skipped":
        "A parameter is sent in a cookie. Cookies are not part of the generated API: the \
         parameter has no setter and is never sent. Send it with a `reqwest::Client` of your \
         own (`ClientBuilder::http_client`) if the server needs it.",
    ParameterContentSkipped = "parameter-content-skipped":
        "A parameter is described with `content` (a media type) rather than `schema`. This is \
         not supported: the parameter has no setter and is never sent.",
    ParameterTypeAsString = "parameter-type-as-string":
        "A path, query or header parameter has a type that is not a scalar, a date, a string \
         enum or a list of those (an object, say). There is no standard way to write it as \
         text, so the setter takes the text to send as a `String`.",
    DefaultTypeMismatch = "default-type-mismatch":
        "A parameter's `default` has another JSON type than the parameter but means one of its \
         values (`default: \"false\"` on a boolean, `default: 250` on a string, one item for a \
         list). The default is sent as that value's text. Fix the default's type in the spec \
         to silence this.",
    DefaultDropped = "default-dropped":
        "A parameter's `default` cannot be a value of the parameter's type (`\"abc\"` for an \
         integer, an object for a string, `null`). The parameter is generated without a \
         default, rather than with a literal that would not compile or that the server would \
         refuse: a required parameter becomes an argument, an optional one is sent only when set.",
    PathParameterRenamed = "path-parameter-renamed":
        "The path template names a variable (`{sourceId}`) that no path parameter declares, \
         and exactly one declared path parameter (`id`) is not in the template. They are \
         taken to be the same: the parameter fills the template's variable, and its Rust \
         argument is named after the template. Rename one of them in the spec to match.",
    PathParameterUnused = "path-parameter-unused":
        "A declared path parameter is not in the path template, and it cannot be paired with \
         a variable of the template. It is not sent, and the operation has no argument for it.",
    PathParameterMissing = "path-parameter-missing":
        "The path template has a variable that no path parameter declares, and it cannot be \
         paired with a declared one. It becomes a required text argument named after the \
         variable. Declare the parameter to give it a type and a description.",
    StatusRangeSkipped = "status-range-skipped":
        "A response is documented for a range of statuses (`4XX`, `5XX`). Ranges are not \
         modelled: such an answer is an `Undocumented` error with its status, headers and raw \
         body, unless a status of the range is also documented on its own.",
    SeveralSuccessBodies = "several-success-bodies":
        "An operation documents several 2xx answers with different bodies (`200` with a list, \
         `202` with a task, say). Only the first one's body is typed; the others are decoded \
         as that type too, which fails if they differ.",
    NullRef = "null-ref":
        "A node has `$ref: null` (a converter's leftover): a reference to nothing. The `$ref` \
         is dropped and the node read as its other keywords say (a schema without any is any \
         JSON value). Remove the `$ref`, or make it name what was meant.",
    ServerVariableNotText = "server-variable-not-text":
        "A server variable's `default` or `enum` value is written as a number or a boolean \
         (`default: 443`), where OpenAPI wants text. It is read as the text it spells \
         (`\"443\"`). Quote the values to silence this.",
    SchemaRequiredFlag = "schema-required-flag":
        "A schema has `required: true` or `required: false`, as Swagger 2 tools write it on a \
         property, where OpenAPI 3 wants the list of required property names on the object. \
         On a property, `true` makes the property required in its object; `false` says \
         nothing, and a flag anywhere else is dropped. List the property in its object's \
         `required` instead.",
    HeaderStyleNotSimple = "header-style-not-simple":
        "A header parameter has a `style` other than `simple`, the only style OpenAPI defines \
         for headers (`style: form`, say). It is sent as `simple` (a list as comma-separated \
         values). Remove the `style` to silence this.",
    OperationWithoutResponses = "operation-without-responses":
        "An operation has no `responses`, which OpenAPI requires. It is read as one that \
         documents none: any 2xx answer is a success without a body, any other an \
         `Undocumented` error with its status, headers and raw body. Document the answers to \
         type them.",
    DocumentWithoutPaths = "document-without-paths":
        "The document has no `paths` (a library of schemas, say), which OpenAPI 3.0 \
         requires. It is read as a document without operations: the crate has its types and \
         a client with nothing to call.",
    ParameterRequiredNotBoolean = "parameter-required-not-boolean":
        "A parameter's `required` is written as text (`required: \"true\"`), where OpenAPI \
         wants a boolean. `\"true\"` (in any case) is read as true and any other text as \
         false. Write the boolean to silence this.",
    IntegerBoundNotInteger = "integer-bound-not-integer":
        "An integer schema's `minimum` or `maximum` is not a 64-bit integer (a bound past \
         `i64`, such as `18446744073709552000`, or a fraction). The bound is dropped and the \
         schema stays an integer; the generated code checks no bounds. Write the bound as \
         an integer the format can hold to silence this.",
    TagNameCollision = "tag-name-collision":
        "Two tags make one module name (`Repo` and `repo` both make `repo`). Each is a tag of \
         its own: the one that sorts first keeps the name, the other's module, type and \
         feature are numbered (`repo_2`, `Repo2`). Rename a tag to choose.",
    NoSuccessResponse = "no-success-response":
        "An operation documents no 2xx answer. Any 2xx answer is taken as a success without a \
         body; whatever the server sends with it is dropped.",
}

impl WarningKind {
    /// The kind with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|kind| kind.name() == name)
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_found_again() {
        let mut names: Vec<&str> = WarningKind::ALL.iter().map(|kind| kind.name()).collect();
        for name in &names {
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
            assert_eq!(
                WarningKind::from_name(name).map(WarningKind::name),
                Some(*name)
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), WarningKind::ALL.len());
        assert_eq!(WarningKind::from_name("no-such-kind"), None);
    }

    #[test]
    fn every_explanation_is_a_paragraph() {
        for kind in WarningKind::ALL {
            let text = kind.explanation();
            assert!(text.len() > 80, "{kind}: {text}");
            assert!(text.ends_with('.'), "{kind}: {text}");
            assert!(!text.contains("  "), "{kind}: {text}");
        }
    }
}
