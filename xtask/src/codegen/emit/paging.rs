//! Emits the paging of a collection operation: `pages()` and `items()` on
//! its request builder, streams over the runtime's `Pages`, walked by
//! `offset` (the prepared request, its query set anew for each page) or by
//! `searchAfter` (the builder, its body's sort values set for each page).

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, name, type_tokens};
use super::std_names::{CLONE, OPTION, SOME, STRING, TO_OWNED, TO_STRING, VEC};
use super::FileContext;
use crate::codegen::contract;
use crate::codegen::ir::{BodyField, Operation, Paging, Param, TypeRef};

/// What both walks have: the page size, the total, the item.
struct Common<'a> {
    limit: &'a Param,
    count: Option<&'a Param>,
    page_limit: u64,
    item: &'a TypeRef,
}

/// `impl Builder { pages, items }` (and `page_at` for a walk by sort
/// values), or nothing for an operation that is not a collection.
pub fn emit_paging(cx: &FileContext, operation: &Operation) -> TokenStream {
    let Some(paging) = &operation.paging else {
        return quote!();
    };
    let [option, some, string] = cx.std([OPTION, SOME, STRING]);
    let param = |index: usize| &operation.params[index];
    let common = |limit: usize, count: Option<usize>, page_limit: u64, item| Common {
        limit: param(limit),
        count: count.map(param),
        page_limit,
        item,
    };
    match paging {
        Paging::Offset(paging) => {
            let common = common(paging.limit, paging.count, paging.page_limit, &paging.item);
            let offset = param(paging.offset);
            let prepare = name(contract::builder::PREPARE);
            let decode = name(contract::builder::DECODE);
            let offset_name = &offset.wire_name;
            let limit_name = &common.limit.wire_name;
            let count_name = match common.count {
                Some(count) => {
                    let wire_name = &count.wire_name;
                    quote!(#some(#wire_name))
                }
                None => quote!(#option::None),
            };
            let page_limit = common.page_limit;
            // The prepared request is sent again for each page, with the
            // page's query parameters set by their wire names.
            let pages_body = quote! {
                crate::Pages::by_offset(
                    self.#prepare(),
                    Self::#decode,
                    crate::runtime::OffsetPaging {
                        offset: #offset_name,
                        limit: #limit_name,
                        count: #count_name,
                        page_limit: #page_limit,
                    },
                )
            };
            let walk_doc = format!(
                "Pages start at the `{}` set on this request, and follow each other by position.",
                offset.wire_name
            );
            emit_walk(cx, operation, &common, &walk_doc, pages_body, quote!())
        }
        Paging::SearchAfter(paging) => {
            let common = common(paging.limit, paging.count, paging.page_limit, &paging.item);
            let Some(body) = &operation.body else {
                return quote!();
            };
            let body = name(&body.ident);
            let page_at = name(contract::builder::PAGE_AT);
            let sort_now = read_body_field(cx, &body, &paging.sort);
            let set_sort = assign_body_field(cx, &body, &paging.sort, quote!(sort.to_vec()));
            // The first page has no values to start after: an optional
            // field is left out rather than sent empty.
            let after = quote!(after.map(<[#string]>::to_vec));
            let after_field = name(&paging.search_after.ident);
            let set_after = if paging.search_after.required {
                quote!(request.#body.#after_field = #after.unwrap_or_default();)
            } else {
                quote!(request.#body.#after_field = #after;)
            };
            let operation_id = &operation.operation_id;
            let page_limit = common.page_limit;
            let can_count = common.count.is_some();
            let limit_now = read(cx, common.limit);
            let pages_body = quote! {
                const OPERATION: &str = #operation_id;
                const PAGE_LIMIT: u64 = #page_limit;
                const CAN_COUNT: bool = #can_count;
                let limit = #limit_now;
                let sort = #sort_now;
                crate::Pages::by_search_after(OPERATION, self, Self::#page_at, sort, limit.as_deref(), PAGE_LIMIT, CAN_COUNT)
            };
            let page_at_method =
                emit_page_after(cx, operation, &common, quote!(#set_sort #set_after));
            let walk_doc = "Each page starts after the sort values of the last item of the one before (`searchAfter`, which goes past the 10,000 items that offsets reach), sorted by the body's `sort` with `id` added when it is not there: a sort that ties would skip or repeat items between pages.";
            emit_walk(cx, operation, &common, walk_doc, pages_body, page_at_method)
        }
    }
}

/// The `impl` block of a walk: `pages` with `pages_body`, `items`, and
/// `more` (the methods the walk needs besides).
fn emit_walk(
    cx: &FileContext,
    operation: &Operation,
    common: &Common<'_>,
    walk_doc: &str,
    pages_body: TokenStream,
    more: TokenStream,
) -> TokenStream {
    let builder = name(&operation.builder_name);
    let error = name(&operation.error_name);
    let item = type_tokens(cx, common.item);
    let pages = name(contract::builder::PAGES);
    let items = name(contract::builder::ITEMS);
    let page_limit = common.page_limit;
    let total_note = match common.count {
        Some(count) => format!(
            " The first page asks for the collection's total (`{}=true`); with it, no page past the end is asked for.",
            count.wire_name
        ),
        None => " A page shorter than asked for is the last.".to_owned(),
    };
    let pages_doc = doc_attrs(cx, &format!(
        "Every page of the collection, as a [`Stream`](::futures_core::Stream) of `Vec` (or page by page with [`next_page`](crate::Pages::next_page)). Pages are as large as the spec allows ({page_limit} items), or the `{}` set on this request, and keep every other setting (filters, sorters). {walk_doc}{total_note} An error is the last item; nothing is sent until the stream is polled; [`max_items`](crate::Pages::max_items) caps the walk.",
        common.limit.wire_name
    ));
    let items_doc = doc_attrs(cx, &format!(
        "Every item of the collection, one at a time: [`{pages}`](Self::{pages}) flattened (or item by item with [`next_item`](crate::Items::next_item), all at once with [`try_collect`](crate::Items::try_collect))."
    ));
    quote! {
        impl #builder {
            #pages_doc
            pub fn #pages(self) -> crate::Pages<#item, #error> {
                #pages_body
            }

            #items_doc
            pub fn #items(self) -> crate::Items<#item, #error> {
                self.#pages().items()
            }

            #more
        }
    }
}

/// `page_at` of a walk by sort values: this request for one page, its
/// sort and values to start after set with `set_position`.
fn emit_page_after(
    cx: &FileContext,
    operation: &Operation,
    common: &Common<'_>,
    set_position: TokenStream,
) -> TokenStream {
    let [option, string, vec, clone, to_owned, to_string] =
        cx.std([OPTION, STRING, VEC, CLONE, TO_OWNED, TO_STRING]);
    let error = name(&operation.error_name);
    let item = type_tokens(cx, common.item);
    let page_at = name(contract::builder::PAGE_AT);
    let send_with_response = name(contract::builder::SEND_WITH_RESPONSE);
    let set_limit = assign(cx, common.limit, quote!(#to_string::to_string(&limit)));
    let set_count = common.count.map(|count| {
        let set = assign(cx, count, quote!(#to_owned::to_owned("true")));
        quote! {
            if count {
                #set
            }
        }
    });
    let count_argument = if common.count.is_some() {
        quote!(count)
    } else {
        quote!(_count)
    };
    quote! {
        /// This request for one page.
        fn #page_at(&self, sort: &[#string], after: #option<&[#string]>, limit: u64, #count_argument: bool) -> crate::ResponseFuture<#vec<#item>, #error> {
            let mut request = #clone::clone(self);
            #set_position
            #set_limit
            #set_count
            request.#send_with_response()
        }
    }
}

/// `request.field = value;` for a parameter's builder field, an `Option`
/// unless the parameter is required.
fn assign(cx: &FileContext, param: &Param, value: TokenStream) -> TokenStream {
    let [some] = cx.std([SOME]);
    let field = name(&param.ident);
    if param.required {
        quote!(request.#field = #value;)
    } else {
        quote!(request.#field = #some(#value);)
    }
}

/// The caller's value of a parameter's builder field, as an
/// `Option<String>`.
fn read(cx: &FileContext, param: &Param) -> TokenStream {
    let [some, clone] = cx.std([SOME, CLONE]);
    let field = name(&param.ident);
    if param.required {
        quote!(#some(#clone::clone(&self.#field)))
    } else {
        quote!(#clone::clone(&self.#field))
    }
}

/// `request.body.field = value;`, an `Option` unless required.
fn assign_body_field(
    cx: &FileContext,
    body: &proc_macro2::Ident,
    field: &BodyField,
    value: TokenStream,
) -> TokenStream {
    let [some] = cx.std([SOME]);
    let ident = name(&field.ident);
    if field.required {
        quote!(request.#body.#ident = #value;)
    } else {
        quote!(request.#body.#ident = #some(#value);)
    }
}

/// The caller's value of a body's list field, empty when unset.
fn read_body_field(cx: &FileContext, body: &proc_macro2::Ident, field: &BodyField) -> TokenStream {
    let [clone] = cx.std([CLONE]);
    let ident = name(&field.ident);
    if field.required {
        quote!(#clone::clone(&self.#body.#ident))
    } else {
        quote!(#clone::clone(&self.#body.#ident).unwrap_or_default())
    }
}
