//! What the docs tell a reader beyond a declaration: where a model is used
//! and what it looks like in JSON.

use super::std_names::Spelling;
use crate::codegen::ir::{Api, OperationRef, TypeDef, TypeKind, TypeRef};

/// How many operations a type's docs link before counting the others.
const NAMED_USERS: usize = 5;

/// How deep an example is built from the examples of fields' types.
const EXAMPLE_DEPTH: usize = 3;

/// The docs of a model: the spec's description, the operations that send
/// or receive it (linked), and an example from the spec's examples.
pub fn type_doc(def: &TypeDef, api: &Api) -> String {
    let mut parts = Vec::new();
    if let Some(description) = &def.description {
        parts.push(description.clone());
    }
    parts.push(users(def));
    if let Some(example) = example_of(def, api, EXAMPLE_DEPTH) {
        if let Ok(json) = serde_json::to_string_pretty(&example) {
            parts.push(format!("# Example\n\n```json\n{json}\n```"));
        }
    }
    parts.join("\n\n")
}

/// `Sent or received by [`Tag::operation`](…), …`.
fn users(def: &TypeDef) -> String {
    let link = |OperationRef { group, fn_name }: &OperationRef| {
        format!("[`{group}::{fn_name}`](crate::apis::{group}::{fn_name})")
    };
    let named: Vec<String> = def.used_by.iter().take(NAMED_USERS).map(link).collect();
    let others = def.used_by.len().saturating_sub(NAMED_USERS);
    match (&named[..], others) {
        ([], _) => "A schema of the spec that no operation uses.".to_owned(),
        ([only], 0) => format!("Sent or received by {only}."),
        (named, 0) => format!(
            "Sent or received by {} and {}.",
            named[..named.len() - 1].join(", "),
            named[named.len() - 1]
        ),
        (named, others) => format!(
            "Sent or received by {} and {others} other operation{}.",
            named.join(", "),
            if others == 1 { "" } else { "s" }
        ),
    }
}

/// The spec's example of a type, else one made of its fields' examples
/// (and their types', `depth` levels down); a string enum's first value.
fn example_of(def: &TypeDef, api: &Api, depth: usize) -> Option<serde_json::Value> {
    if let Some(example) = &def.example {
        return Some(example.clone());
    }
    match &def.kind {
        TypeKind::Struct { fields } if depth > 0 => {
            let object: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .filter_map(|field| {
                    let value = field.example.clone().or_else(|| match &field.ty {
                        TypeRef::Named(name) => example_of(api.types.get(name)?, api, depth - 1),
                        _ => None,
                    })?;
                    Some((field.wire_name.clone(), value))
                })
                .collect();
            (!object.is_empty()).then_some(serde_json::Value::Object(object))
        }
        TypeKind::Enum { variants, .. } => variants
            .first()
            .map(|variant| serde_json::Value::String(variant.value.clone())),
        _ => None,
    }
}

/// What an operation's docs need besides the IR: the crate's name for the
/// example, and the pattern of the API reference's URLs.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocsContext<'a> {
    /// The crate as code names it (`sailpoint_v2025`).
    pub crate_ident: &'a str,
    /// With `{operationId}` or `{operation-id}` (kebab case) to fill.
    pub reference_url: Option<&'a str>,
    /// The API's types, for the examples' values.
    pub api: Option<&'a Api>,
}

impl DocsContext<'_> {
    /// The reference page of an operation.
    pub fn reference(&self, operation_id: &str) -> Option<String> {
        let pattern = self.reference_url?;
        let kebab = crate::codegen::names::snake(operation_id).replace('_', "-");
        Some(
            pattern
                .replace("{operation-id}", &kebab)
                .replace("{operationId}", operation_id),
        )
    }
}

/// One line of a table cell: whitespace collapsed, pipes escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// A use of a type in docs: a link for a model, code otherwise.
pub fn type_link(spelling: Spelling, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => format!("[`{name}`](crate::models::{name})"),
        TypeRef::Vec(item) => format!("a list of {}", type_link(spelling, item)),
        TypeRef::Map(value) => format!("a map of text to {}", type_link(spelling, value)),
        other => format!(
            "`{}`",
            super::common::type_text(spelling, other)
                .trim_start_matches("::std::string::")
                .trim_start_matches("::")
        ),
    }
}

/// The sections of an operation's docs after its arguments: what it
/// returns, its responses at a glance, media types, and the reference;
/// types as a file of this spelling writes them.
pub fn operation_sections(
    spelling: Spelling,
    operation: &crate::codegen::ir::Operation,
    context: &DocsContext<'_>,
) -> String {
    use crate::codegen::ir::SuccessStatus;
    let mut text = String::new();
    let success_status = match operation.success.status {
        SuccessStatus::Documented(status) => format!("`{status}`"),
        SuccessStatus::Any2xx => "any `2xx`".to_owned(),
    };
    let description = cell(&operation.success.description);
    text.push_str("# Returns\n\n");
    match &operation.success.body {
        Some(body) => text.push_str(&format!(
            "{} on {success_status}: {description}",
            type_link(spelling, body)
        )),
        None => text.push_str(&format!(
            "Nothing (`()`) on {success_status}: {description}"
        )),
    }
    text.push_str(&format!(
        "\n\nAn error answer is [`Error::Api`](crate::Error::Api) around [`{}`], by status:",
        operation.error_name
    ));
    text.push_str("\n\n| Status | Description | Body |\n| --- | --- | --- |");
    let success_body = operation
        .success
        .body
        .as_ref()
        .map_or_else(|| "none".to_owned(), |body| type_link(spelling, body));
    text.push_str(&format!(
        "\n| {success_status} | {description} | {success_body} |"
    ));
    for case in &operation.errors {
        let body = case
            .body
            .as_ref()
            .map_or_else(|| "none".to_owned(), |body| type_link(spelling, body));
        text.push_str(&format!(
            "\n| `{}` | {} | [`{}`]({}::{}): {body} |",
            case.status,
            cell(&case.description),
            case.variant,
            operation.error_name,
            case.variant
        ));
    }
    match &operation.body {
        Some(body) => text.push_str(&format!(
            "\n\nSends `{}`; accepts `{}`.",
            body.content_type, operation.accept
        )),
        None => text.push_str(&format!("\n\nAccepts `{}`.", operation.accept)),
    }
    if let Some(url) = context.reference(&operation.operation_id) {
        text.push_str(&format!(
            " SailPoint's reference: [`{}`]({url}).",
            operation.operation_id
        ));
    }
    text
}

/// A `no_run` example of an operation: the client from the environment,
/// the required arguments from the spec's examples (or typed placeholders),
/// one optional setting, and a `match` on the error enum.
pub fn operation_example(
    group: &crate::codegen::ir::Group,
    operation: &crate::codegen::ir::Operation,
    context: &DocsContext<'_>,
) -> String {
    use crate::codegen::ir::BodyKind;
    let krate = context.crate_ident;
    let mut arguments: Vec<String> = operation
        .params
        .iter()
        .filter(|param| param.is_argument())
        .map(|param| {
            value_literal(
                &param.ty,
                param.example.as_deref(),
                &param.wire_name,
                krate,
                context,
            )
        })
        .collect();
    if let Some(body) = operation.body.as_ref().filter(|body| body.required) {
        arguments.push(match &body.kind {
            BodyKind::Json(ty) | BodyKind::Form(ty) => body_literal(ty, krate, context),
            BodyKind::Multipart(_) => format!("{krate}::Multipart::new()"),
            BodyKind::Binary => "Vec::<u8>::new()".to_owned(),
        });
    }
    let setting = operation
        .params
        .iter()
        .find(|param| !param.is_argument())
        .map(|param| {
            let value = param
                .default
                .as_ref()
                .map(ToString::to_string)
                .or_else(|| param.example.clone());
            format!(
                "\n    .{}({})",
                rust(&param.ident),
                value_literal(
                    &param.ty,
                    value.as_deref(),
                    &param.wire_name,
                    krate,
                    context
                )
            )
        })
        .unwrap_or_default();
    let ok_arm = if operation.success.body.is_some() {
        "Ok(answer) => println!(\"{answer:?}\"),"
    } else {
        "Ok(()) => println!(\"done\"),"
    };
    let error_arm = match operation.errors.first() {
        Some(case) if case.body.is_some() => format!(
            "\n        {}::{}(body) => eprintln!(\"{}: {{body:?}}\"),",
            operation.error_name, case.variant, case.status
        ),
        Some(case) => format!(
            "\n        {}::{} => eprintln!(\"{}\"),",
            operation.error_name, case.variant, case.status
        ),
        None => String::new(),
    };
    let deprecated = if operation.deprecated {
        "#[allow(deprecated)]\n"
    } else {
        ""
    };
    format!(
        "```no_run\n\
         # async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         use {krate}::apis::{module}::{error};\n\n\
         let client = {krate}::Client::from_env()?;\n\
         {deprecated}let answer = client\n    .{module}()\n    .{function}({arguments}){setting}\n    .await;\n\
         match answer {{\n    {ok_arm}\n    \
         Err({krate}::Error::Api(error)) => match error.error() {{{error_arm}\n        \
         other => eprintln!(\"{{other:?}}\"),\n    }},\n    \
         Err(error) => return Err(error.into()),\n}}\n\
         # Ok(())\n\
         # }}\n\
         ```",
        module = rust(&group.module),
        error = operation.error_name,
        function = rust(&operation.fn_name),
        arguments = arguments.join(", "),
    )
}

/// A Rust literal of `ty` for an example: the spec's `example` when it
/// fits, else a placeholder of the type.
fn value_literal(
    ty: &TypeRef,
    example: Option<&str>,
    wire: &str,
    krate: &str,
    context: &DocsContext<'_>,
) -> String {
    match ty {
        TypeRef::String => format!(
            "{:?}",
            example.map_or_else(|| format!("<{wire}>"), str::to_owned)
        ),
        TypeRef::I32 | TypeRef::I64 => example
            .and_then(|text| text.parse::<i64>().ok())
            .unwrap_or(0)
            .to_string(),
        TypeRef::F32 | TypeRef::F64 => example
            .and_then(|text| text.parse::<f64>().ok())
            .map_or_else(|| "0.0".to_owned(), |value| format!("{value:?}")),
        TypeRef::Bool => example
            .and_then(|text| text.parse::<bool>().ok())
            .unwrap_or(false)
            .to_string(),
        TypeRef::DateTime => format!("{krate}::chrono::Utc::now()"),
        TypeRef::Date => format!("{krate}::chrono::Utc::now().date_naive()"),
        TypeRef::Vec(item) => format!("[{}]", value_literal(item, None, wire, krate, context)),
        TypeRef::Named(name) => {
            let variants =
                context
                    .api
                    .and_then(|api| api.types.get(name))
                    .and_then(|def| match &def.kind {
                        TypeKind::Enum { variants, .. } => Some(variants),
                        _ => None,
                    });
            match variants {
                Some(variants) => {
                    let variant = variants
                        .iter()
                        .find(|variant| Some(variant.value.as_str()) == example)
                        .or_else(|| variants.first());
                    match variant {
                        Some(variant) => format!("{krate}::models::{name}::{}", variant.ident),
                        None => "Default::default()".to_owned(),
                    }
                }
                None => "Default::default()".to_owned(),
            }
        }
        _ => "Default::default()".to_owned(),
    }
}

/// A request body for an example: `Default` when the model is, else the
/// spec's example read as JSON, else left to the reader.
fn body_literal(ty: &TypeRef, krate: &str, context: &DocsContext<'_>) -> String {
    let TypeRef::Named(name) = ty else {
        return "Default::default()".to_owned();
    };
    let Some(def) = context.api.and_then(|api| api.types.get(name)) else {
        return format!("todo!(\"a {name}\")");
    };
    if let TypeKind::Struct { fields } = &def.kind {
        if fields.iter().all(|field| !field.required || field.nullable) {
            return format!("{krate}::models::{name}::default()");
        }
    }
    match context
        .api
        .and_then(|api| example_of(def, api, EXAMPLE_DEPTH))
        .and_then(|example| serde_json::to_string(&example).ok())
    {
        Some(json) => format!("serde_json::from_str::<{krate}::models::{name}>(r#\"{json}\"#)?"),
        None => format!("todo!(\"a {name}\")"),
    }
}

/// A name as Rust code spells it (`r#type` for a keyword).
pub fn rust(name: &str) -> String {
    crate::codegen::names::ident(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_url_fills_the_operation_id_as_written_or_in_kebab_case() {
        let context = DocsContext {
            reference_url: Some("https://example.com/docs/{operation-id}?id={operationId}"),
            ..DocsContext::default()
        };
        assert_eq!(
            context.reference("getClassifyMachineAccountFromSourceStatusV1").as_deref(),
            Some("https://example.com/docs/get-classify-machine-account-from-source-status-v1?id=getClassifyMachineAccountFromSourceStatusV1")
        );
        assert_eq!(DocsContext::default().reference("anything"), None);
    }

    #[test]
    fn example_values_are_typed_literals_from_the_spec_examples() {
        let context = DocsContext::default();
        assert_eq!(
            value_literal(&TypeRef::String, Some("ef38"), "sourceId", "c", &context),
            "\"ef38\""
        );
        assert_eq!(
            value_literal(&TypeRef::String, None, "sourceId", "c", &context),
            "\"<sourceId>\""
        );
        assert_eq!(
            value_literal(&TypeRef::I32, Some("250"), "limit", "c", &context),
            "250"
        );
        assert_eq!(
            value_literal(&TypeRef::Bool, Some("nope"), "count", "c", &context),
            "false"
        );
        assert_eq!(
            value_literal(
                &TypeRef::Vec(Box::new(TypeRef::I64)),
                None,
                "ids",
                "c",
                &context
            ),
            "[0]"
        );
    }
}
