//! The passes on hand-built IR.

use std::collections::{BTreeMap, BTreeSet};

use super::super::{
    Api, Field, Group, Method, Operation, OperationRef, Success, SuccessStatus, TypeDef, TypeKind,
    TypeRef, UnionVariant,
};
use super::{box_recursion, mark_uses, recursion_limit, strongly_connected_components};

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

fn field(name: &str, ty: TypeRef) -> Field {
    Field {
        wire_name: name.to_owned(),
        ident: name.to_owned(),
        ty,
        required: true,
        nullable: false,
        description: None,
        deprecated: false,
        boxed: false,
        example: None,
    }
}

fn structure(name: &str, fields: Vec<Field>) -> (String, TypeDef) {
    (
        name.to_owned(),
        TypeDef::new(name.to_owned(), None, TypeKind::Struct { fields }),
    )
}

fn boxed_fields(types: &BTreeMap<String, TypeDef>, name: &str) -> Vec<(String, bool)> {
    match &types[name].kind {
        TypeKind::Struct { fields } => fields
            .iter()
            .map(|field| (field.ident.clone(), field.boxed))
            .collect(),
        TypeKind::Union { variants, .. } => variants
            .iter()
            .map(|variant| (variant.ident.clone(), variant.boxed))
            .collect(),
        _ => Vec::new(),
    }
}

#[test]
fn components_of_a_graph_group_nodes_on_one_cycle() {
    // 0 → 1 → 2 → 0, 2 → 3, 3 → 3, 4 alone.
    let component = strongly_connected_components(&[vec![1], vec![2], vec![0, 3], vec![3], vec![]]);
    assert_eq!(component[0], component[1]);
    assert_eq!(component[1], component[2]);
    assert_ne!(component[2], component[3]);
    assert_ne!(component[3], component[4]);
    assert_ne!(component[0], component[4]);
}

#[test]
fn a_type_that_contains_itself_by_value_is_boxed_there_and_only_there() {
    let mut types: BTreeMap<String, TypeDef> = [
        // A tree: a node holds its parent by value and its children in a list.
        structure(
            "Node",
            vec![
                field("parent", named("Node")),
                field("children", TypeRef::Vec(Box::new(named("Node")))),
                field("label", named("Label")),
            ],
        ),
        structure("Label", vec![field("text", TypeRef::String)]),
        // Two types that hold each other.
        structure("Ping", vec![field("pong", named("Pong"))]),
        structure("Pong", vec![field("ping", named("Ping"))]),
        // A union with itself as a member, through an alias.
        (
            "Expr".to_owned(),
            TypeDef::new(
                "Expr".to_owned(),
                None,
                TypeKind::Union {
                    variants: vec![
                        UnionVariant {
                            ident: "Not".to_owned(),
                            ty: named("ExprAlias"),
                            tags: Vec::new(),
                            boxed: false,
                        },
                        UnionVariant {
                            ident: "Text".to_owned(),
                            ty: TypeRef::String,
                            tags: Vec::new(),
                            boxed: false,
                        },
                    ],
                    discriminator: None,
                    fallback: "Unknown".to_owned(),
                },
            ),
        ),
        (
            "ExprAlias".to_owned(),
            TypeDef::new("ExprAlias".to_owned(), None, TypeKind::Alias(named("Expr"))),
        ),
    ]
    .into_iter()
    .collect();
    box_recursion(&mut types);
    let owned = |pairs: &[(&str, bool)]| -> Vec<(String, bool)> {
        pairs
            .iter()
            .map(|(name, boxed)| ((*name).to_owned(), *boxed))
            .collect()
    };
    assert_eq!(
        boxed_fields(&types, "Node"),
        owned(&[("parent", true), ("children", false), ("label", false)])
    );
    assert_eq!(boxed_fields(&types, "Label"), owned(&[("text", false)]));
    assert_eq!(boxed_fields(&types, "Ping"), owned(&[("pong", true)]));
    assert_eq!(boxed_fields(&types, "Pong"), owned(&[("ping", true)]));
    assert_eq!(
        boxed_fields(&types, "Expr"),
        owned(&[("Not", true), ("Text", false)])
    );
}

fn operation(fn_name: &str, success: Option<TypeRef>) -> Operation {
    Operation {
        operation_id: fn_name.to_owned(),
        method: Method::Get,
        path_template: "/".to_owned(),
        fn_name: fn_name.to_owned(),
        builder_name: fn_name.to_owned(),
        error_name: format!("{fn_name}Error"),
        summary: None,
        description: None,
        deprecated: false,
        path: Vec::new(),
        params: Vec::new(),
        body: None,
        success: Success {
            status: SuccessStatus::Documented(200),
            body: success,
            description: String::new(),
        },
        accept: "application/json".to_owned(),
        errors: Vec::new(),
        paging: None,
    }
}

fn group(name: &str, operations: Vec<Operation>) -> Group {
    Group {
        tag: name.to_owned(),
        description: None,
        module: name.to_lowercase(),
        type_name: name.to_owned(),
        feature: name.to_lowercase(),
        operations,
    }
}

#[test]
fn types_know_the_tags_and_operations_that_use_them_through_others() {
    let mut api = Api {
        title: String::new(),
        description: None,
        version: String::new(),
        server_base_path: String::new(),
        reference_url: None,
        recursion_limit: None,
        types: [
            structure(
                "Page",
                vec![field("items", TypeRef::Vec(Box::new(named("Item"))))],
            ),
            structure("Item", vec![field("owner", named("Owner"))]),
            structure("Owner", vec![field("name", TypeRef::String)]),
            structure("Unused", vec![field("name", TypeRef::String)]),
        ]
        .into_iter()
        .collect(),
        groups: vec![
            group("Items", vec![operation("list_items", Some(named("Page")))]),
            group(
                "Owners",
                vec![
                    operation("get_owner", Some(named("Owner"))),
                    operation("ping", None),
                ],
            ),
        ],
    };
    mark_uses(&mut api);
    let features = |name: &str| -> Vec<&str> {
        api.types[name]
            .features
            .iter()
            .map(String::as_str)
            .collect()
    };
    assert_eq!(features("Page"), ["items"]);
    assert_eq!(features("Item"), ["items"]);
    assert_eq!(features("Owner"), ["items", "owners"]);
    assert!(features("Unused").is_empty());
    let users: BTreeSet<OperationRef> = api.types["Owner"].used_by.clone();
    assert_eq!(
        users
            .into_iter()
            .map(|user| user.fn_name)
            .collect::<Vec<_>>(),
        ["list_items", "get_owner"]
    );
    assert!(api.types["Unused"].used_by.is_empty());
}

/// `n` types `S0` … each with an optional, nullable field that is the id
/// of the next or the next itself (a union), the last back to the first:
/// "expandable" fields.
fn expandable_cycle(n: usize) -> BTreeMap<String, TypeDef> {
    let mut types = BTreeMap::new();
    for i in 0..n {
        let next = format!("S{}", (i + 1) % n);
        let union = format!("S{i}Next");
        let mut link = field("next", named(&union));
        link.required = false;
        link.nullable = true;
        types.extend([structure(
            &format!("S{i}"),
            vec![field("id", TypeRef::String), link],
        )]);
        let variants = vec![
            UnionVariant {
                ident: "String".to_owned(),
                ty: TypeRef::String,
                tags: Vec::new(),
                boxed: false,
            },
            UnionVariant {
                ident: next.clone(),
                ty: named(&next),
                tags: Vec::new(),
                boxed: false,
            },
        ];
        let fallback = "Unknown".to_owned();
        let kind = TypeKind::Union {
            variants,
            discriminator: None,
            fallback,
        };
        types.insert(union.clone(), TypeDef::new(union, None, kind));
    }
    box_recursion(&mut types);
    types
}

#[test]
fn a_long_cycle_of_types_raises_the_recursion_limit_and_a_short_one_does_not() {
    // Each pair is 8 steps for rustc (the struct, two `Option`s, `Box`,
    // `Unique`; the union, `Box`, `Unique`): 14 pairs fit in the default,
    // 16 do not, as rustc found.
    assert_eq!(recursion_limit(&expandable_cycle(14)), None);
    assert_eq!(recursion_limit(&expandable_cycle(16)), Some(256));
    let long = recursion_limit(&expandable_cycle(100)).unwrap();
    assert!(long >= 100 * 8 + 16 && long.is_power_of_two(), "{long}");
    // A tree through a `Vec` is a cycle too, but a short one.
    let tree: BTreeMap<String, TypeDef> = [structure(
        "Node",
        vec![field("children", TypeRef::Vec(Box::new(named("Node"))))],
    )]
    .into_iter()
    .collect();
    assert_eq!(recursion_limit(&tree), None);
}
