//! Mutations of the feature fixture, for the tests that feed the generator
//! specs it was not written for.

use serde_json::{json, Value};

pub fn fixture_dir() -> std::path::PathBuf {
    xtask::project_root().join("xtask/tests/fixtures/features")
}

pub fn base_document() -> Value {
    let text = std::fs::read_to_string(fixture_dir().join("api.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// Values a mutation puts in place of a node.
pub fn replacement(choice: u8) -> Value {
    let values = [
        Value::Null,
        json!(true),
        json!(-1),
        json!(""),
        json!("{x}"),
        json!([]),
        json!({}),
        json!({"$ref": "#/components/schemas/Pet"}),
        json!({"$ref": "#/components/schemas/Nope"}),
        json!({"$ref": "./missing.yaml"}),
        json!({"$ref": "./shared.yaml#/JsonPatchOperation"}),
        json!({"type": "object", "properties": {"self": {"$ref": "#/components/schemas/Toy"}}}),
        json!({"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Pet"}], "discriminator": {"propertyName": "kind"}}),
        json!({"allOf": [{"nullable": true}, {"type": "array"}]}),
        json!({"type": "string", "enum": [null, "", "a-b", "A_B", "1"]}),
        json!({"in": "path", "name": "other", "schema": {"type": "integer"}}),
        json!("\u{0}\u{feff}ünïcödé {{}}"),
        json!({"$ref": "#/components/schemas/\u{0}0\u{0}"}),
    ];
    values[usize::from(choice) % values.len()].clone()
}

/// Every node's JSON pointer, in document order.
pub fn pointers(value: &Value, at: String, into: &mut Vec<String>) {
    into.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{at}/{key}"), into);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), into);
            }
        }
        _ => {}
    }
}

pub fn mutate(document: &mut Value, node: u32, operation: u8, choice: u8) {
    let mut all = Vec::new();
    pointers(document, String::new(), &mut all);
    let target = &all[node as usize % all.len()];
    match operation % 3 {
        0 => {
            if let Some(slot) = document.pointer_mut(target) {
                *slot = replacement(choice);
            }
        }
        1 => {
            if let Some((parent, key)) = target.rsplit_once('/') {
                let key = key.replace("~1", "/").replace("~0", "~");
                match document.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.remove(&key);
                    }
                    Some(Value::Array(items)) if !items.is_empty() => {
                        let index = key.parse::<usize>().unwrap_or(0) % items.len();
                        items.remove(index);
                    }
                    _ => {}
                }
            }
        }
        _ => {
            let source = all[(node as usize).wrapping_mul(7) % all.len()].clone();
            let copy = document.pointer(&source).cloned();
            if let (Some(copy), Some(slot)) = (copy, document.pointer_mut(target)) {
                *slot = copy;
            }
        }
    }
}
