//! Render: each file of the crate (or part of a large one) emitted and
//! formatted on one of several threads, and joined by path.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::diag::Errors;
use super::emit;
use super::{extensions, format, ir, public_api};

/// One Rust file of the crate to emit and format, or one part of a file.
pub enum Unit<'a> {
    Lib,
    ModelsMod,
    ApisMod,
    ExtensionsMod,
    Bindings(&'a extensions::Binding),
    Type(&'a ir::TypeDef),
    /// The head of a tag's file: its type and starters.
    GroupHead(&'a ir::Group),
    /// The part of a tag's file for its operation at this index: a tag's
    /// file is cut in parts because it can be most of a small spec's
    /// formatting, which would leave the other cores idle.
    Operation(&'a ir::Group, usize),
}

impl Unit<'_> {
    /// Where the unit's text goes in its file: the head of a file first,
    /// then its operations in order.
    fn part(&self) -> usize {
        match self {
            Unit::Operation(_, index) => index + 1,
            _ => 0,
        }
    }
}

/// What every unit may need besides itself.
pub struct RenderContext<'a> {
    pub api: &'a ir::Api,
    /// The crate as code names it (`sailpoint_v2025`).
    pub crate_ident: String,
    /// Each extension's module and the feature that compiles it.
    pub extensions: Vec<(&'a str, &'a str)>,
}

/// What rendering a unit gives.
struct Rendered {
    path: String,
    part: usize,
    /// The part's text, behind no header ([`format::format_part`]).
    text: String,
    items: BTreeSet<public_api::Item>,
}

/// Emits and formats one unit.
fn render(unit: &Unit<'_>, context: &RenderContext<'_>) -> Result<Rendered, Errors> {
    let docs_context = || emit::docs::DocsContext {
        crate_ident: &context.crate_ident,
        reference_url: context.api.reference_url.as_deref(),
        api: Some(context.api),
    };
    let file = match *unit {
        Unit::Lib => emit::crate_root::emit_lib(
            context.api,
            &context.crate_ident,
            !context.extensions.is_empty(),
        ),
        Unit::ModelsMod => emit::models::emit_mod(context.api),
        Unit::ApisMod => emit::operations::emit_mod(context.api),
        Unit::ExtensionsMod => {
            emit::crate_root::emit_extensions_mod(context.api, &context.extensions)
        }
        Unit::Bindings(binding) => emit::bindings::emit_bindings(binding),
        Unit::Type(def) => emit::models::emit_type(def, context.api),
        Unit::GroupHead(group) => emit::operations::emit_group_head(group, &docs_context()),
        Unit::Operation(group, index) => {
            emit::operations::emit_group_operation(group, &group.operations[index])
        }
    };
    let path = file.path.clone();
    let (text, parsed) = format::format_part(file)?;
    let items = public_api::items_in(&path, &parsed);
    Ok(Rendered {
        path,
        part: unit.part(),
        text,
        items,
    })
}

/// Renders the units on every core the process may use, each thread
/// taking the next unit left: formatting is most of generation's time. The
/// result is keyed by path, each file's parts joined in order, so it does
/// not depend on which thread did what.
pub fn render_all(
    units: &[Unit<'_>],
    context: &RenderContext<'_>,
) -> Result<BTreeMap<String, (String, BTreeSet<public_api::Item>)>, Errors> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(units.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let work = || -> Result<Vec<Rendered>, Errors> {
        std::iter::from_fn(|| units.get(next.fetch_add(1, Ordering::Relaxed)))
            .map(|unit| render(unit, context))
            .collect()
    };
    let results: Vec<Result<Vec<Rendered>, Errors>> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut results = vec![work()];
        for other in others {
            results.push(
                other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        results
    });
    let mut parts: BTreeMap<String, (BTreeMap<usize, String>, BTreeSet<public_api::Item>)> =
        BTreeMap::new();
    for result in results {
        for Rendered {
            path,
            part,
            text,
            items,
        } in result?
        {
            let (texts, file_items) = parts.entry(path).or_default();
            texts.insert(part, text);
            file_items.extend(items);
        }
    }
    Ok(parts
        .into_iter()
        .map(|(path, (texts, items))| {
            (
                path,
                (format::file_text(texts.values().map(String::as_str)), items),
            )
        })
        .collect())
}
