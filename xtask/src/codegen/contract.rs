//! The contract between the generator, the code it emits and the runtime
//! (`templates/runtime/`), written down once: the names each side owns.
//! Lowering keeps spec names away from them, the emitters spell them from
//! here, and the tests below fail when the emitted code or the runtime
//! grows a name that is not listed.

/// The request builder of an operation: its own field and methods. A
/// parameter or body whose name is one of these is renamed.
pub mod builder {
    /// The field holding the client.
    pub const CLIENT: &str = "client";
    /// Sends the request; what `.await` calls.
    pub const SEND: &str = "send";
    /// Sends the request, keeping the answer's status and headers.
    pub const SEND_WITH_RESPONSE: &str = "send_with_response";
    /// Sends a request with a binary answer, its body as a stream.
    pub const SEND_STREAMING: &str = "send_streaming";
    /// Builds the request to send.
    pub const PREPARE: &str = "prepare";
    /// Reads the answer by its status.
    pub const DECODE: &str = "decode";
    /// A collection's pages, as a stream.
    pub const PAGES: &str = "pages";
    /// A collection's items, as a stream.
    pub const ITEMS: &str = "items";
    /// Sends a collection's request for one page, in a walk by sort values.
    pub const PAGE_AT: &str = "page_at";
    /// Every member, sorted.
    pub const MEMBERS: &[&str] = &[
        CLIENT,
        DECODE,
        ITEMS,
        PAGE_AT,
        PAGES,
        PREPARE,
        SEND,
        SEND_STREAMING,
        SEND_WITH_RESPONSE,
    ];
}

/// The type of a tag (`ClassifySource`): its own field and methods. An
/// operation whose method name is one of these is renamed.
pub mod tag {
    /// The field, and the method, that give the client.
    pub const CLIENT: &str = "client";
    /// The constructor the client's accessor calls.
    pub const NEW: &str = "new";
    /// Every member, sorted.
    pub const MEMBERS: &[&str] = &[CLIENT, NEW];
}

/// Every method of the runtime's `Client` (public or not). Each tag adds an
/// accessor method to `Client`, named after its module: a tag whose module
/// is one of these is renamed.
pub const CLIENT_METHODS: &[&str] = &[
    "api_base_url",
    "attempt",
    "builder",
    "execute",
    "execute_with_retries",
    "from_env",
    "new",
    "retry_wait",
    "timer",
];

/// Items of the generated crate's root that the runtime reads.
pub mod root {
    /// `pub const SERVER_BASE_PATH: &str`: the path of the spec's server
    /// URL (`/v2025`), which the client appends to the tenant's URL.
    pub const SERVER_BASE_PATH: &str = "SERVER_BASE_PATH";
    /// Every item the runtime reads.
    #[cfg(test)]
    pub const READ_BY_RUNTIME: &[&str] = &[SERVER_BASE_PATH];
}

/// The runtime's macros that the models' tables invoke
/// (`crate::runtime::<macro>! { … }`), and the words of their rows.
pub mod tables {
    /// A struct's serde impls: a row per field, numbered from 0,
    /// `index field: mode Type = "wire"`.
    pub const OBJECT: &str = "impl_object";
    /// The row modes of [`OBJECT`]: required, nullable, optional,
    /// optional and nullable.
    pub const OBJECT_MODES: [&str; 4] = ["required", "nullable", "optional", "optional_nullable"];
    /// What follows the type's name in the head of [`OBJECT`]'s table for
    /// a struct without required fields (`Type: Default { … }`): the
    /// runtime reads it into its default value, a field at a time.
    pub const OBJECT_DEFAULT: &str = ": Default";
    /// A string enum's impls: a row per value, `Variant = "value"`.
    pub const STRING_ENUM: &str = "impl_string_enum";
    /// A union's serde impls, by discriminator or first fit.
    pub const UNION: &str = "impl_union";
}

/// What an extension's generated `bindings` module defines besides the
/// names its needs file chooses.
pub mod bindings {
    /// The module, a child of the extension's (`mod bindings;`).
    pub const MODULE: &str = "bindings";
    /// The alias of the tag type the extension's operations are in.
    pub const TAG: &str = "Tag";
    /// `<Operation>Request`: the alias of an operation's request builder.
    pub const REQUEST_SUFFIX: &str = "Request";
    /// `<Operation>Error`: the alias of an operation's error enum.
    pub const ERROR_SUFFIX: &str = "Error";
}

/// `name`, or `name` with `suffix` when the emitted code owns it.
pub fn avoiding(name: String, owned: &[&str], suffix: &str) -> String {
    if owned.contains(&name.as_str()) {
        format!("{name}_{suffix}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests;
