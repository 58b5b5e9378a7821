//! Collections: which operations answer a list a page at a time, and how
//! to ask for the next page.

use super::super::ir::{
    OffsetPaging, Paging, Param, ParamDefault, ParamLocation, TypeKind, TypeRef, DEFAULT_PAGE_LIMIT,
};
use super::Lowering;

impl Lowering<'_> {
    /// The paging of an operation with these parameters whose success
    /// answer is `answer`: `offset` and `limit` integer query parameters
    /// and a list answer (directly, or through an alias).
    pub(super) fn paging(&self, params: &[Param], answer: Option<&TypeRef>) -> Option<Paging> {
        let query = |wire: &str| {
            params
                .iter()
                .position(|param| param.location == ParamLocation::Query && param.wire_name == wire)
        };
        let is_integer = |index: usize| matches!(params[index].ty, TypeRef::I32 | TypeRef::I64);
        let offset = query("offset").filter(|&index| is_integer(index))?;
        let limit = query("limit").filter(|&index| is_integer(index))?;
        // A caller-set page position in a required argument cannot be
        // replaced page after page.
        if params[offset].is_argument() || params[limit].is_argument() {
            return None;
        }
        let count = query("count").filter(|&index| params[index].ty == TypeRef::Bool);
        let item = self.list_item(answer?)?;
        let limit_param = &params[limit];
        let page_limit = limit_param
            .maximum
            .and_then(|maximum| u64::try_from(maximum).ok())
            .filter(|maximum| *maximum > 0)
            .or_else(|| match &limit_param.default {
                Some(ParamDefault::Text(text)) => text.parse().ok().filter(|limit| *limit > 0),
                _ => None,
            })
            .unwrap_or(DEFAULT_PAGE_LIMIT);
        Some(Paging::Offset(OffsetPaging {
            offset,
            limit,
            count,
            page_limit,
            item,
        }))
    }

    /// The item type of a list answer, through aliases.
    fn list_item(&self, answer: &TypeRef) -> Option<TypeRef> {
        let mut current = answer;
        for _ in 0..=self.types.len() {
            match current {
                TypeRef::Vec(item) => return Some((**item).clone()),
                TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                    Some(TypeKind::Alias(target)) => current = target,
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }
}
