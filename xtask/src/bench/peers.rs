//! `cargo xtask bench --peers`: progenitor 0.15 run on the same endpoints
//! as our codegen, one after the other in pairs, so both see the same
//! machine at the same moment.
//!
//! Progenitor reads one bundled document and cannot take the fragment as
//! SailPoint publishes it; the bench makes a copy it can take (see
//! [`progenitor_ready`]) from our own bundle of the fragment. The driver is
//! a small program of ours (`xtask/peers/progenitor-driver`), built from
//! crates.io in the bench's own target folder, never by the workspace.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value};

use super::{cargo, codegen_command, interleaved, job, succeed, Samples};
use crate::codegen;

const DRIVER_MANIFEST: &str = include_str!("../../peers/progenitor-driver/Cargo.toml.in");
const DRIVER_MAIN: &str = include_str!("../../peers/progenitor-driver/main.rs");

/// Interleaved runs of our codegen and progenitor's on the same endpoints.
pub(super) struct Pairs {
    pub(super) ours: Samples,
    pub(super) progenitor: Samples,
    /// The progenitor version the driver was built with.
    pub(super) version: String,
}

/// Builds the driver, makes the progenitor-ready copy of `spec`, and runs
/// `xtask codegen` and the driver in `pairs` interleaved pairs, after one
/// unmeasured run of each.
pub(super) fn run(xtask: &Path, spec: &Path, pairs: usize, dir: &Path) -> Result<Pairs, String> {
    // Kept between benches, unlike `dir`: only the first builds progenitor.
    let driver_crate = crate::target_dir().join("bench/progenitor-driver");
    let driver = build_driver(&driver_crate)?;
    let version = driver_version(&driver_crate)?;
    let bundled = codegen::load::load(spec).map_err(|errors| errors.to_string())?;
    let ready = progenitor_ready(bundled.document);
    let ready_spec = dir.join("spec.progenitor.json");
    std::fs::write(
        &ready_spec,
        serde_json::to_string_pretty(&ready).map_err(|error| error.to_string())?,
    )
    .map_err(|error| error.to_string())?;
    let [ours, progenitor] = interleaved(
        pairs,
        true,
        [
            job(&mut codegen_command(xtask, spec, &dir.join("ours"))),
            job(Command::new(&driver)
                .arg(&ready_spec)
                .arg(dir.join("progenitor.rs"))),
        ],
    )?;
    Ok(Pairs {
        ours,
        progenitor,
        version,
    })
}

/// Writes the driver's crate into `krate` and builds it in release mode, in
/// its own target folder.
fn build_driver(krate: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(krate.join("src")).map_err(|error| error.to_string())?;
    write_if_changed(&krate.join("Cargo.toml"), DRIVER_MANIFEST)?;
    write_if_changed(&krate.join("src/main.rs"), DRIVER_MAIN)?;
    succeed(
        cargo()
            .args(["build", "--quiet", "--release"])
            .current_dir(krate)
            .env("CARGO_TARGET_DIR", krate.join("target")),
        "cannot build the progenitor driver",
    )?;
    Ok(krate.join("target/release/progenitor-driver"))
}

/// The versions of `progenitor` and `progenitor-impl` in the driver's lock
/// file.
fn driver_version(krate: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(krate.join("Cargo.lock"))
        .map_err(|error| format!("the progenitor driver has no lock file: {error}"))?;
    let version_of = |name: &str| {
        let marker = format!("name = \"{name}\"\nversion = \"");
        lock.split_once(&marker)
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(version, _)| version.to_owned())
    };
    match (version_of("progenitor"), version_of("progenitor-impl")) {
        (Some(progenitor), Some(implementation)) => Ok(format!(
            "progenitor {progenitor} (progenitor-impl {implementation})"
        )),
        _ => Err("the progenitor driver's lock file names no progenitor".to_owned()),
    }
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// Our bundle of a spec, edited so that progenitor takes it:
///
/// - a path parameter whose name is not in its path's template is renamed
///   to the template's one variable left unmatched (SailPoint names the
///   classify path's variable `sourceId` and two of its operations'
///   parameter `id`; progenitor refuses the mismatch);
/// - every error answer (4XX, 5XX, `default`) with a JSON body gets the
///   body schema most error answers already have (progenitor wants one
///   error type per operation; SailPoint's 401 and 429 bodies differ).
///
/// Everything else is left as it is.
pub(crate) fn progenitor_ready(mut document: Value) -> Value {
    let error_schema = most_common_error_schema(&document);
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return document;
    };
    for (template, item) in paths.iter_mut() {
        let variables = template_variables(template);
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for operation in item.values_mut().filter_map(Value::as_object_mut) {
            rename_path_parameters(operation, &variables);
            if let Some(schema) = &error_schema {
                unify_error_bodies(operation, schema);
            }
        }
    }
    document
}

/// The `{name}`s of a path template.
fn template_variables(template: &str) -> Vec<String> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

fn rename_path_parameters(operation: &mut Map<String, Value>, variables: &[String]) {
    let Some(parameters) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    let in_path = |parameter: &Value| parameter.get("in").and_then(Value::as_str) == Some("path");
    let named: Vec<String> = parameters
        .iter()
        .filter(|parameter| in_path(parameter))
        .filter_map(|parameter| parameter.get("name").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    let unmatched_variables: Vec<&String> = variables
        .iter()
        .filter(|variable| !named.contains(variable))
        .collect();
    let mut unmatched_parameters = parameters
        .iter_mut()
        .filter(|parameter| in_path(parameter))
        .filter(|parameter| {
            parameter
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|name| !variables.iter().any(|variable| variable == name))
        });
    if let ([variable], Some(parameter), None) = (
        unmatched_variables.as_slice(),
        unmatched_parameters.next(),
        unmatched_parameters.next(),
    ) {
        parameter["name"] = Value::String((*variable).clone());
    }
}

fn is_error_status(status: &str) -> bool {
    status == "default" || status.starts_with('4') || status.starts_with('5')
}

/// The JSON body schema of error answers, by how many answers have it.
fn most_common_error_schema(document: &Value) -> Option<Value> {
    let mut counts: Vec<(Value, usize)> = Vec::new();
    let paths = document.get("paths")?.as_object()?;
    let operations = paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values());
    for operation in operations {
        let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
            continue;
        };
        for (status, response) in responses {
            let schema = response.pointer("/content/application~1json/schema");
            if let (true, Some(schema)) = (is_error_status(status), schema) {
                match counts.iter_mut().find(|(seen, _)| seen == schema) {
                    Some((_, count)) => *count += 1,
                    None => counts.push((schema.clone(), 1)),
                }
            }
        }
    }
    // The first of the most common, so that ties go the same way each run.
    let most = counts.iter().map(|(_, count)| *count).max()?;
    counts
        .into_iter()
        .find(|(_, count)| *count == most)
        .map(|(schema, _)| schema)
}

fn unify_error_bodies(operation: &mut Map<String, Value>, schema: &Value) {
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (status, response) in responses.iter_mut() {
        if !is_error_status(status) {
            continue;
        }
        if let Some(body) = response
            .pointer_mut("/content/application~1json")
            .and_then(Value::as_object_mut)
        {
            body.insert("schema".to_owned(), schema.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_path_parameter_named_otherwise_takes_the_templates_name() {
        let ready = progenitor_ready(json!({
            "paths": {"/sources/{sourceId}/classify": {
                "get": {"parameters": [
                    {"in": "path", "name": "id"},
                    {"in": "header", "name": "X-SailPoint-Experimental"}
                ], "responses": {}},
                "post": {"parameters": [{"in": "path", "name": "sourceId"}], "responses": {}}
            }}
        }));
        let item = &ready["paths"]["/sources/{sourceId}/classify"];
        assert_eq!(item["get"]["parameters"][0]["name"], "sourceId");
        assert_eq!(
            item["get"]["parameters"][1]["name"],
            "X-SailPoint-Experimental"
        );
        assert_eq!(item["post"]["parameters"][0]["name"], "sourceId");
    }

    #[test]
    fn error_answers_share_the_most_common_error_body() {
        let dto = json!({"$ref": "#/components/schemas/ErrorResponseDto"});
        let body = |schema: &Value| json!({"content": {"application/json": {"schema": schema}}});
        let inline = json!({"type": "object", "properties": {"error": {}}});
        let ready = progenitor_ready(json!({
            "paths": {"/a": {"get": {"responses": {
                "200": body(&json!({"type": "string"})),
                "400": body(&dto),
                "401": body(&inline),
                "500": body(&dto),
                "204": {"description": "none"}
            }}}}
        }));
        let responses = &ready["paths"]["/a"]["get"]["responses"];
        assert_eq!(
            responses["401"]["content"]["application/json"]["schema"],
            dto
        );
        assert_eq!(
            responses["400"]["content"]["application/json"]["schema"],
            dto
        );
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"]["type"],
            "string"
        );
        assert_eq!(responses["204"], json!({"description": "none"}));
    }
}
