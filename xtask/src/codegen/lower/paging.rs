//! Collections: which operations answer a list a page at a time, and how
//! to ask for the next page.

use super::super::ir::{
    resolve_aliases, BodyField, BodyKind, OffsetPaging, Paging, Param, ParamDefault, ParamLocation,
    RequestBody, SearchAfterPaging, TypeKind, TypeRef, DEFAULT_PAGE_LIMIT,
};
use super::Lowering;

impl Lowering<'_> {
    /// The paging of an operation with these parameters and body whose
    /// success answer is `answer` (a list, directly or through an alias):
    /// by `searchAfter` when the body has `sort` and `searchAfter`, else by
    /// `offset` and `limit` query parameters (integers, or numbers as text).
    pub(super) fn paging(
        &self,
        params: &[Param],
        body: Option<&RequestBody>,
        answer: Option<&TypeRef>,
    ) -> Option<Paging> {
        let query = |wire: &str| {
            params
                .iter()
                .position(|param| param.location == ParamLocation::Query && param.wire_name == wire)
        };
        // A page position in a required argument cannot be replaced page
        // after page. Some specs type `limit` as text (with a numeric
        // default): its wire text is a number all the same.
        let pageable = |index: usize| {
            matches!(
                params[index].ty,
                TypeRef::I32 | TypeRef::I64 | TypeRef::String
            ) && !params[index].is_argument()
        };
        let limit = query("limit").filter(|&index| pageable(index))?;
        let item = self.list_item(answer?)?;
        let count = query("count").filter(|&index| params[index].ty == TypeRef::Bool);
        let page_limit = page_limit(&params[limit]);
        if let Some((sort, search_after)) = self.search_after_fields(body) {
            return Some(Paging::SearchAfter(SearchAfterPaging {
                limit,
                count,
                page_limit,
                item,
                sort,
                search_after,
            }));
        }
        let offset = query("offset").filter(|&index| pageable(index))?;
        Some(Paging::Offset(OffsetPaging {
            offset,
            limit,
            count,
            page_limit,
            item,
        }))
    }

    /// The `sort` and `searchAfter` fields of a required JSON body whose
    /// struct has both as lists of text.
    fn search_after_fields(&self, body: Option<&RequestBody>) -> Option<(BodyField, BodyField)> {
        let body = body.filter(|body| body.required)?;
        let BodyKind::Json(TypeRef::Named(name)) = &body.kind else {
            return None;
        };
        let Some(TypeKind::Struct { fields }) = self.types.get(name).map(|def| &def.kind) else {
            return None;
        };
        let field = |wire: &str| {
            fields
                .iter()
                .find(|field| {
                    field.wire_name == wire
                        && !field.nullable
                        && !field.boxed
                        && field.ty == TypeRef::Vec(Box::new(TypeRef::String))
                })
                .map(|field| BodyField {
                    ident: field.ident.clone(),
                    required: field.required,
                })
        };
        Some((field("sort")?, field("searchAfter")?))
    }

    /// The item type of a list answer, through aliases.
    fn list_item(&self, answer: &TypeRef) -> Option<TypeRef> {
        match resolve_aliases(&self.types, answer) {
            TypeRef::Vec(item) => Some((**item).clone()),
            _ => None,
        }
    }
}

/// The largest page the spec allows: `limit`'s maximum, else its default,
/// else [`DEFAULT_PAGE_LIMIT`].
fn page_limit(limit: &Param) -> u64 {
    limit
        .maximum
        .and_then(|maximum| u64::try_from(maximum).ok())
        .filter(|maximum| *maximum > 0)
        .or_else(|| match &limit.default {
            Some(ParamDefault::Text(text)) => text.parse().ok().filter(|limit| *limit > 0),
            _ => None,
        })
        .unwrap_or(DEFAULT_PAGE_LIMIT)
}
