//! Emits an extension's `bindings` module (`src/extensions/<name>/bindings.rs`):
//! its needs, under the names it chose, bound to the generated names.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, name, type_tokens};
use super::request::wire_text_type;
use super::std_names::Spelling;
use super::{FileContext, RustFile};
use crate::codegen::contract;
use crate::codegen::extensions::{Accessed, Binding, BoundAccessor, BoundOperation};
use crate::codegen::ir::Param;

/// The path of an extension's bindings in the crate.
pub fn bindings_path(binding: &Binding) -> String {
    format!(
        "src/extensions/{}/{}.rs",
        binding.extension,
        contract::bindings::MODULE
    )
}

/// The bindings module of an extension.
pub fn emit_bindings(binding: &Binding) -> RustFile {
    let file = FileContext::new(Spelling::Full);
    let cx = &file;
    let module_doc = format!(
        " What `{0}.rs` uses of the generated API, bound by `cargo xtask codegen` from `templates/extensions/{0}.yaml`.",
        binding.extension
    );
    let tag = name(contract::bindings::TAG);
    let group_module = name(&binding.group_module);
    let group_type = name(&binding.group_type);
    let tag_doc = doc_attrs(
        cx,
        &format!(
            "The type of the `{}` tag, whose operations the extension uses.",
            binding.group_tag
        ),
    );
    let operations = binding
        .operations
        .iter()
        .map(|operation| emit_operation(cx, operation));
    let types = binding.types.iter().map(|bound| {
        let alias = name(&bound.alias);
        let target = name(&bound.target);
        let doc = doc_attrs(cx, &bound.origin);
        quote! {
            #doc
            pub type #alias = crate::models::#target;
        }
    });
    let constants = binding.constants.iter().map(|constant| {
        let ident = name(&constant.name);
        let alias = name(&constant.alias);
        let variant = name(&constant.variant);
        let doc = doc_attrs(
            cx,
            &format!("`{}`, a value of [`{}`].", constant.value, constant.alias),
        );
        quote! {
            #doc
            pub const #ident: #alias = #alias::#variant;
        }
    });
    let accessors = binding
        .accessors
        .iter()
        .map(|accessor| emit_accessor(cx, accessor));
    let items = quote! {
        #![doc = #module_doc]

        #tag_doc
        pub type #tag<'a> = crate::apis::#group_module::#group_type<'a>;

        #(#operations)*
        #(#types)*
        #(#constants)*
        #(#accessors)*
    };
    file.finish(bindings_path(binding), items, Vec::new())
}

fn emit_operation(cx: &FileContext, bound: &BoundOperation) -> TokenStream {
    let operation = &bound.operation;
    let tag = name(contract::bindings::TAG);
    let group_module = name(&bound.group_module);
    let function = name(&bound.name);
    let request = name(&bound.request_alias());
    let error = name(&bound.error_alias());
    let builder = name(&operation.builder_name);
    let error_enum = name(&operation.error_name);
    let method = name(&operation.fn_name);
    let what = format!(
        "`{}` (`{} {}`)",
        operation.operation_id,
        operation.method.as_str(),
        operation.path_template
    );
    let request_doc = doc_attrs(cx, &format!("The request of {what}."));
    let error_doc = doc_attrs(cx, &format!("The error answers of {what}."));
    let function_doc = doc_attrs(
        cx,
        &format!(
            "Starts {what}: [`{}::{}`].",
            contract::bindings::TAG,
            operation.fn_name
        ),
    );
    let arguments: Vec<&Param> = operation
        .params
        .iter()
        .filter(|p| p.is_argument())
        .collect();
    let idents: Vec<_> = arguments.iter().map(|param| name(&param.ident)).collect();
    let types = arguments.iter().map(|param| wire_text_type(cx, param));
    quote! {
        #request_doc
        pub type #request = crate::apis::#group_module::#builder;
        #error_doc
        pub type #error = crate::apis::#group_module::#error_enum;
        #function_doc
        pub fn #function(tag: &#tag<'_>, #(#idents: #types),*) -> #request {
            tag.#method(#(#idents),*)
        }
    }
}

fn emit_accessor(cx: &FileContext, accessor: &BoundAccessor) -> TokenStream {
    let function = name(&accessor.name);
    let owner = name(&accessor.owner_alias);
    let field = name(&accessor.field_ident);
    let value = match &accessor.value {
        Accessed::Alias(alias) => {
            let alias = name(alias);
            quote!(#alias)
        }
        Accessed::Scalar(ty) => type_tokens(cx, ty),
    };
    let read = match (accessor.required, accessor.nullable, accessor.boxed) {
        (true, false, false) => quote!(::std::option::Option::Some(&value.#field)),
        (true, false, true) => quote!(::std::option::Option::Some(&*value.#field)),
        (true, true, false) | (false, false, false) => quote!(value.#field.as_ref()),
        (true, true, true) | (false, false, true) => quote!(value.#field.as_deref()),
        (false, true, false) => {
            quote!(value.#field.as_ref().and_then(::std::option::Option::as_ref))
        }
        (false, true, true) => {
            quote!(value.#field.as_ref().and_then(::std::option::Option::as_deref))
        }
    };
    let doc = doc_attrs(
        cx,
        &format!(
            "The `{}` field of a [`{}`], if it has a value.",
            accessor.wire, accessor.owner_alias
        ),
    );
    quote! {
        #doc
        pub fn #function(value: &#owner) -> ::std::option::Option<&#value> {
            #read
        }
    }
}
