//! IR → IR passes, run on the whole API once lowering is done: they see
//! only the IR, so they are tested on hand-built IR.
//!
//! - [`mark_uses`]: which tags (cargo features) and operations use each
//!   type, directly or through other types.
//! - [`box_recursion`]: which fields and variants hold a type that contains
//!   itself through them, and must be boxed.

use std::collections::BTreeMap;

use super::{Api, BodyKind, OperationRef, TypeDef, TypeKind, TypeRef};

/// Runs every pass.
pub fn run(api: &mut Api) {
    box_recursion(&mut api.types);
    mark_uses(api);
}

/// Records, for every type, the tags and operations that use it: the types
/// of their parameters, bodies and answers, and everything those contain.
pub fn mark_uses(api: &mut Api) {
    for group in &api.groups {
        for operation in &group.operations {
            let used = operation
                .params
                .iter()
                .map(|param| &param.ty)
                .chain(operation.body.iter().filter_map(|body| match &body.kind {
                    BodyKind::Json(ty) | BodyKind::Form(ty) => Some(ty),
                    BodyKind::Multipart(_) | BodyKind::Binary => None,
                }))
                .chain(operation.success.body.iter())
                .chain(
                    operation
                        .errors
                        .iter()
                        .filter_map(|case| case.body.as_ref()),
                );
            let mut pending: Vec<String> = Vec::new();
            for ty in used {
                named_in(ty, &mut pending);
            }
            let user = OperationRef {
                group: group.type_name.clone(),
                fn_name: operation.fn_name.clone(),
            };
            while let Some(name) = pending.pop() {
                let Some(def) = api.types.get_mut(&name) else {
                    continue;
                };
                def.features.insert(group.feature.clone());
                if !def.used_by.insert(user.clone()) {
                    continue;
                }
                // Borrowed again, immutably, to walk what the type contains.
                let def = &api.types[&name];
                contained(def, |ty| named_in(ty, &mut pending));
            }
        }
    }
}

/// Marks the fields and variants through which a type contains itself,
/// directly or through others, so that they are boxed: such types would
/// otherwise have no size.
pub fn box_recursion(types: &mut BTreeMap<String, TypeDef>) {
    let names: Vec<String> = types.keys().cloned().collect();
    let index: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    // Only a type held by value makes a cycle: `Vec` and maps are on the heap.
    let by_value = |ty: &TypeRef| match ty {
        TypeRef::Named(target) => index.get(target.as_str()).copied(),
        _ => None,
    };
    let edges: Vec<Vec<usize>> = names
        .iter()
        .map(|name| {
            let mut targets = Vec::new();
            contained(&types[name], |ty| targets.extend(by_value(ty)));
            targets
        })
        .collect();
    let component = strongly_connected_components(&edges);
    let same =
        |from: usize, to: Option<usize>| to.is_some_and(|to| component[to] == component[from]);
    for (from, name) in names.iter().enumerate() {
        let def = types.get_mut(name).expect("listed above");
        match &mut def.kind {
            TypeKind::Struct { fields } => {
                for field in fields {
                    field.boxed = same(from, by_value(&field.ty));
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants {
                    variant.boxed = same(from, by_value(&variant.ty));
                }
            }
            TypeKind::Enum { .. } | TypeKind::Alias(_) => {}
        }
    }
}

/// Calls `each` with every type a definition mentions.
fn contained<'t>(def: &'t TypeDef, mut each: impl FnMut(&'t TypeRef)) {
    match &def.kind {
        TypeKind::Struct { fields } => fields.iter().for_each(|field| each(&field.ty)),
        TypeKind::Union { variants, .. } => variants.iter().for_each(|variant| each(&variant.ty)),
        TypeKind::Alias(target) => each(target),
        TypeKind::Enum { .. } => {}
    }
}

/// Pushes the names of the types `ty` uses.
fn named_in(ty: &TypeRef, into: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => into.push(name.clone()),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => named_in(inner, into),
        _ => {}
    }
}

/// Tarjan's algorithm: the strongly connected component of each node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    struct State<'e> {
        edges: &'e [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        component: Vec<usize>,
        next_index: usize,
        next_component: usize,
    }
    fn visit(state: &mut State<'_>, node: usize) {
        state.index[node] = Some(state.next_index);
        state.low[node] = state.next_index;
        state.next_index += 1;
        state.stack.push(node);
        state.on_stack[node] = true;
        for &next in &state.edges[node] {
            match state.index[next] {
                None => {
                    visit(state, next);
                    state.low[node] = state.low[node].min(state.low[next]);
                }
                Some(index) if state.on_stack[next] => {
                    state.low[node] = state.low[node].min(index);
                }
                Some(_) => {}
            }
        }
        if Some(state.low[node]) == state.index[node] {
            while let Some(member) = state.stack.pop() {
                state.on_stack[member] = false;
                state.component[member] = state.next_component;
                if member == node {
                    break;
                }
            }
            state.next_component += 1;
        }
    }
    let count = edges.len();
    let mut state = State {
        edges,
        index: vec![None; count],
        low: vec![0; count],
        on_stack: vec![false; count],
        stack: Vec::new(),
        component: vec![0; count],
        next_index: 0,
        next_component: 0,
    };
    for node in 0..count {
        if state.index[node].is_none() {
            visit(&mut state, node);
        }
    }
    state.component
}

#[cfg(test)]
mod tests;
