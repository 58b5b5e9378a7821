//! IR → IR passes, run on the whole API once lowering is done: they see
//! only the IR, so they are tested on hand-built IR.
//!
//! - [`mark_uses`]: which tags (cargo features) and operations use each
//!   type, directly or through other types.
//! - [`box_recursion`]: which fields and variants hold a type that contains
//!   itself through them, and must be boxed.
//! - [`recursion_limit`]: how deep rustc may have to look to prove a type
//!   that contains itself `Send`, when that is past its default limit.

use std::collections::BTreeMap;

use super::{Api, BodyKind, OperationRef, TypeDef, TypeKind, TypeRef};

/// Runs every pass.
pub fn run(api: &mut Api) {
    box_recursion(&mut api.types);
    api.recursion_limit = recursion_limit(&api.types);
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

/// The depth rustc walks by default proving a trait: `#![recursion_limit]`.
const DEFAULT_RECURSION_LIMIT: usize = 128;

/// How deep the proof of an auto trait may go before it reaches a type
/// that contains itself: from an operation's answer to the cycle.
const ENTRY_DEPTH: usize = 16;

/// The `#![recursion_limit]` the crate needs, when its default is not
/// enough: proving a type `Send` (as every call's future must be), rustc
/// walks every type inside it, wrapper by wrapper (`Option`, `Box`, `Vec`
/// …), and a cycle of types is walked around once before it is seen to
/// close; a long enough cycle (sixteen `{id, next: Option<Box<Next>>}`
/// types, say) passes the default. The bound is the sum, over the types
/// of each cycle (a strongly connected component), of the longest step
/// from each to the next, in the types rustc sees.
pub fn recursion_limit(types: &BTreeMap<String, TypeDef>) -> Option<usize> {
    let names: Vec<&String> = types.keys().collect();
    let index: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    // Each type's steps to the types it contains, by any path.
    let steps: Vec<Vec<(usize, usize)>> = names
        .iter()
        .map(|name| {
            let mut reached = Vec::new();
            each_step(&types[*name], |ty, wrappers| {
                reach(ty, wrappers, &mut |target, depth| {
                    if let Some(&target) = index.get(target) {
                        reached.push((target, depth));
                    }
                });
            });
            reached
        })
        .collect();
    let edges: Vec<Vec<usize>> = steps
        .iter()
        .map(|reached| reached.iter().map(|(target, _)| *target).collect())
        .collect();
    let component = strongly_connected_components(&edges);
    let mut bound: BTreeMap<usize, usize> = BTreeMap::new();
    for (from, reached) in steps.iter().enumerate() {
        let longest = reached
            .iter()
            .filter(|(target, _)| component[*target] == component[from])
            .map(|(_, depth)| *depth)
            .max();
        if let Some(longest) = longest {
            *bound.entry(component[from]).or_default() += longest;
        }
    }
    let deepest = bound.into_values().max()? + ENTRY_DEPTH;
    (deepest > DEFAULT_RECURSION_LIMIT).then(|| deepest.next_power_of_two())
}

/// Calls `each` with every type a definition holds and the wrappers the
/// emitted Rust puts around it, counted as rustc walks them: the type
/// itself, then `Option` (1) for an optional or nullable field, twice for
/// both, and `Box` → `Unique` (2) where it is boxed.
fn each_step<'t>(def: &'t TypeDef, mut each: impl FnMut(&'t TypeRef, usize)) {
    match &def.kind {
        TypeKind::Struct { fields } => {
            for field in fields {
                let options = usize::from(!field.required) + usize::from(field.nullable);
                each(&field.ty, 1 + options + 2 * usize::from(field.boxed));
            }
        }
        TypeKind::Union { variants, .. } => {
            for variant in variants {
                each(&variant.ty, 1 + 2 * usize::from(variant.boxed));
            }
        }
        // `pub type`: no type of its own.
        TypeKind::Alias(target) => each(target, 0),
        TypeKind::Enum { .. } => {}
    }
}

/// Calls `each` with the named types inside `ty` and the depth at which
/// rustc reaches them: `Vec` → `RawVec` → `PhantomData` (3), a
/// `BTreeMap`'s nodes (6).
fn reach(ty: &TypeRef, depth: usize, each: &mut impl FnMut(&str, usize)) {
    match ty {
        TypeRef::Named(name) => each(name, depth),
        TypeRef::Vec(inner) => reach(inner, depth + 3, each),
        TypeRef::Map(inner) => reach(inner, depth + 6, each),
        _ => {}
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
