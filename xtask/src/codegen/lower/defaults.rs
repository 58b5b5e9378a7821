//! Defaults of parameters: the spec's `default`, as the wire text the
//! parameter's Rust type stands for, or dropped when it does not fit. A
//! mismatched literal never reaches the emitted code.

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::ir::{ParamDefault, TypeDef, TypeKind, TypeRef};

/// What becomes of a parameter's default.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum DefaultFit {
    /// The value has the parameter's type.
    Fits(ParamDefault),
    /// The value is of another JSON type but means a value of the
    /// parameter's type (`"false"` for a boolean): sent as this text.
    Coerced(ParamDefault),
    /// The value cannot be one of the parameter's type (`"abc"` for an
    /// integer, an object for a string): no default.
    Dropped,
}

/// The default `value` of a parameter of type `ty`; `types` resolves
/// named types (string enums and aliases).
pub(super) fn param_default(
    ty: &TypeRef,
    value: &Value,
    types: &BTreeMap<String, TypeDef>,
) -> DefaultFit {
    match ty {
        TypeRef::Vec(item) => {
            let (values, mut coerced) = match value {
                Value::Array(values) => (values.iter().collect::<Vec<_>>(), false),
                Value::Null | Value::Object(_) => return DefaultFit::Dropped,
                single => (vec![single], true),
            };
            let mut texts = Vec::with_capacity(values.len());
            for value in values {
                match scalar_text(item, value, types) {
                    Some((text, exact)) => {
                        coerced |= !exact;
                        texts.push(text);
                    }
                    None => return DefaultFit::Dropped,
                }
            }
            let default = ParamDefault::List(texts);
            if coerced {
                DefaultFit::Coerced(default)
            } else {
                DefaultFit::Fits(default)
            }
        }
        scalar => match scalar_text(scalar, value, types) {
            Some((text, true)) => DefaultFit::Fits(ParamDefault::Text(text)),
            Some((text, false)) => DefaultFit::Coerced(ParamDefault::Text(text)),
            None => DefaultFit::Dropped,
        },
    }
}

/// The wire text of a scalar value of type `ty`, and whether the value
/// had that JSON type already; `None` when it cannot be of that type.
fn scalar_text(
    ty: &TypeRef,
    value: &Value,
    types: &BTreeMap<String, TypeDef>,
) -> Option<(String, bool)> {
    match (ty, value) {
        (TypeRef::String, Value::String(text)) => Some((text.clone(), true)),
        (TypeRef::String, Value::Number(_) | Value::Bool(_)) => Some((value.to_string(), false)),
        (TypeRef::Bool, Value::Bool(flag)) => Some((flag.to_string(), true)),
        (TypeRef::Bool, Value::String(text)) if text == "true" || text == "false" => {
            Some((text.clone(), false))
        }
        (TypeRef::I32 | TypeRef::I64, Value::Number(number)) => {
            let integer = number.as_i64()?;
            fits_integer(ty, integer).then(|| (integer.to_string(), true))
        }
        (TypeRef::I32 | TypeRef::I64, Value::String(text)) => {
            let integer: i64 = text.trim().parse().ok()?;
            fits_integer(ty, integer).then(|| (integer.to_string(), false))
        }
        (TypeRef::F32 | TypeRef::F64, Value::Number(number)) => Some((number.to_string(), true)),
        (TypeRef::F32 | TypeRef::F64, Value::String(text)) => {
            let number: f64 = text.trim().parse().ok()?;
            number.is_finite().then(|| (text.trim().to_owned(), false))
        }
        // Dates go as the spec writes them; the server reads the text.
        (TypeRef::Date | TypeRef::DateTime, Value::String(text)) => Some((text.clone(), true)),
        (TypeRef::Named(name), value) => match types.get(name).map(|def| &def.kind) {
            // A value the enum does not list is still sent as written.
            Some(TypeKind::Enum { .. }) => match value {
                Value::String(text) => Some((text.clone(), true)),
                _ => None,
            },
            Some(TypeKind::Alias(target)) if !matches!(target, TypeRef::Named(_)) => {
                scalar_text(target, value, types)
            }
            _ => None,
        },
        _ => None,
    }
}

fn fits_integer(ty: &TypeRef, integer: i64) -> bool {
    *ty != TypeRef::I32 || i32::try_from(integer).is_ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn default(ty: &TypeRef, value: Value) -> DefaultFit {
        let mut types = BTreeMap::new();
        types.insert(
            "Sort".to_owned(),
            TypeDef::new(
                "Sort".to_owned(),
                None,
                TypeKind::Enum {
                    variants: Vec::new(),
                    fallback: "Unknown".to_owned(),
                },
            ),
        );
        param_default(ty, &value, &types)
    }

    fn text(text: &str) -> ParamDefault {
        ParamDefault::Text(text.to_owned())
    }

    #[test]
    fn strings_take_any_scalar_as_its_text() {
        assert_eq!(
            default(&TypeRef::String, json!("a b")),
            DefaultFit::Fits(text("a b"))
        );
        assert_eq!(
            default(&TypeRef::String, json!(true)),
            DefaultFit::Coerced(text("true"))
        );
        assert_eq!(
            default(&TypeRef::String, json!(250)),
            DefaultFit::Coerced(text("250"))
        );
        assert_eq!(
            default(&TypeRef::String, json!({"a": 1})),
            DefaultFit::Dropped
        );
        assert_eq!(default(&TypeRef::String, json!(null)), DefaultFit::Dropped);
    }

    #[test]
    fn booleans_take_true_and_false_only() {
        assert_eq!(
            default(&TypeRef::Bool, json!(false)),
            DefaultFit::Fits(text("false"))
        );
        assert_eq!(
            default(&TypeRef::Bool, json!("true")),
            DefaultFit::Coerced(text("true"))
        );
        assert_eq!(default(&TypeRef::Bool, json!("yes")), DefaultFit::Dropped);
        assert_eq!(default(&TypeRef::Bool, json!(1)), DefaultFit::Dropped);
    }

    #[test]
    fn integers_must_be_whole_and_in_range() {
        assert_eq!(
            default(&TypeRef::I32, json!(250)),
            DefaultFit::Fits(text("250"))
        );
        assert_eq!(
            default(&TypeRef::I64, json!(" 7 ")),
            DefaultFit::Coerced(text("7"))
        );
        assert_eq!(default(&TypeRef::I32, json!(2.5)), DefaultFit::Dropped);
        assert_eq!(
            default(&TypeRef::I32, json!(4_000_000_000_i64)),
            DefaultFit::Dropped
        );
        assert_eq!(default(&TypeRef::I64, json!("abc")), DefaultFit::Dropped);
    }

    #[test]
    fn numbers_take_numbers_and_numeric_text() {
        assert_eq!(
            default(&TypeRef::F64, json!(0.5)),
            DefaultFit::Fits(text("0.5"))
        );
        assert_eq!(
            default(&TypeRef::F32, json!("1.5")),
            DefaultFit::Coerced(text("1.5"))
        );
        assert_eq!(default(&TypeRef::F64, json!("NaN")), DefaultFit::Dropped);
        assert_eq!(default(&TypeRef::F64, json!([1])), DefaultFit::Dropped);
    }

    #[test]
    fn dates_and_enums_take_text() {
        assert_eq!(
            default(&TypeRef::DateTime, json!("2026-01-01T00:00:00Z")),
            DefaultFit::Fits(text("2026-01-01T00:00:00Z"))
        );
        let sort = TypeRef::Named("Sort".to_owned());
        assert_eq!(
            default(&sort, json!("name")),
            DefaultFit::Fits(text("name"))
        );
        assert_eq!(default(&sort, json!(1)), DefaultFit::Dropped);
        assert_eq!(
            default(&TypeRef::Named("Nope".to_owned()), json!("x")),
            DefaultFit::Dropped
        );
    }

    #[test]
    fn lists_take_arrays_of_their_items_or_one_item() {
        let strings = TypeRef::Vec(Box::new(TypeRef::String));
        let list = |items: &[&str]| {
            ParamDefault::List(items.iter().map(|item| (*item).to_owned()).collect())
        };
        assert_eq!(
            default(&strings, json!(["created asc"])),
            DefaultFit::Fits(list(&["created asc"]))
        );
        assert_eq!(
            default(&strings, json!("one")),
            DefaultFit::Coerced(list(&["one"]))
        );
        assert_eq!(default(&strings, json!([])), DefaultFit::Fits(list(&[])));
        let integers = TypeRef::Vec(Box::new(TypeRef::I64));
        assert_eq!(
            default(&integers, json!([1, "2"])),
            DefaultFit::Coerced(list(&["1", "2"]))
        );
        assert_eq!(default(&integers, json!([1, "x"])), DefaultFit::Dropped);
        assert_eq!(default(&integers, json!({"a": 1})), DefaultFit::Dropped);
    }
}
