//! Emits the paging of a collection operation: `pages()` and `items()` on
//! its request builder, streams over the runtime's `Pages`.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, name, type_tokens};
use crate::codegen::contract;
use crate::codegen::ir::{OffsetPaging, Operation, Paging, Param};

/// `impl Builder { pages, items, page_at }`, or nothing for an operation
/// that is not a collection.
pub fn emit_paging(operation: &Operation) -> TokenStream {
    match &operation.paging {
        Some(Paging::Offset(paging)) => emit_offset_paging(operation, paging),
        None => quote!(),
    }
}

fn emit_offset_paging(operation: &Operation, paging: &OffsetPaging) -> TokenStream {
    let builder = name(&operation.builder_name);
    let error = name(&operation.error_name);
    let item = type_tokens(&paging.item);
    let pages = name(contract::builder::PAGES);
    let items = name(contract::builder::ITEMS);
    let page_at = name(contract::builder::PAGE_AT);
    let send_with_response = name(contract::builder::SEND_WITH_RESPONSE);
    let offset = &operation.params[paging.offset];
    let limit = &operation.params[paging.limit];
    let count = paging.count.map(|index| &operation.params[index]);
    let page_limit = paging.page_limit;
    let set_offset = assign(offset, quote!(::std::string::ToString::to_string(&offset)));
    let set_limit = assign(limit, quote!(::std::string::ToString::to_string(&limit)));
    let set_count = count.map(|count| {
        let set = assign(count, quote!(::std::borrow::ToOwned::to_owned("true")));
        quote! {
            if count {
                #set
            }
        }
    });
    let count_argument = if count.is_some() {
        quote!(count)
    } else {
        quote!(_count)
    };
    let can_count = count.is_some();
    let offset_now = read(offset);
    let limit_now = read(limit);
    let total_note = match count {
        Some(count) => format!(
            " The first page asks for the collection's total (`{}=true`); with it, no page past the end is asked for.",
            count.wire_name
        ),
        None => " A page shorter than asked for is the last.".to_owned(),
    };
    let pages_doc = doc_attrs(&format!(
        "Every page of the collection, as a [`Stream`](::futures_core::Stream) of `Vec` (or page by page with [`next_page`](crate::Pages::next_page)). Pages are as large as the spec allows ({page_limit} items), or the `{}` set on this request; they start at the `{}` set on it, and keep every other setting (filters, sorters).{total_note} An error is the last item; nothing is sent until the stream is polled; [`max_items`](crate::Pages::max_items) caps the walk.",
        limit.wire_name, offset.wire_name
    ));
    let items_doc = doc_attrs(&format!(
        "Every item of the collection, one at a time: [`{pages}`](Self::{pages}) flattened (or item by item with [`next_item`](crate::Items::next_item), all at once with [`try_collect`](crate::Items::try_collect))."
    ));
    quote! {
        impl #builder {
            #pages_doc
            pub fn #pages(self) -> crate::Pages<#item, #error> {
                let offset = #offset_now;
                let limit = #limit_now;
                crate::Pages::by_offset(self, Self::#page_at, offset.as_deref(), limit.as_deref(), #page_limit, #can_count)
            }

            #items_doc
            pub fn #items(self) -> crate::Items<#item, #error> {
                self.#pages().items()
            }

            /// This request for one page.
            fn #page_at(&self, offset: u64, limit: u64, #count_argument: bool) -> crate::ResponseFuture<::std::vec::Vec<#item>, #error> {
                let mut request = ::std::clone::Clone::clone(self);
                #set_offset
                #set_limit
                #set_count
                request.#send_with_response()
            }
        }
    }
}

/// `request.field = value;` for a parameter's builder field, an `Option`
/// unless the parameter is required.
fn assign(param: &Param, value: TokenStream) -> TokenStream {
    let field = name(&param.ident);
    if param.required {
        quote!(request.#field = #value;)
    } else {
        quote!(request.#field = ::std::option::Option::Some(#value);)
    }
}

/// The caller's value of a parameter's builder field, as an
/// `Option<String>`.
fn read(param: &Param) -> TokenStream {
    let field = name(&param.ident);
    if param.required {
        quote!(::std::option::Option::Some(::std::clone::Clone::clone(&self.#field)))
    } else {
        quote!(::std::clone::Clone::clone(&self.#field))
    }
}
