//! The listing read off files, and changes between listings classified.

use super::*;

const BEFORE: &str = "# header
enum models::State #[non_exhaustive]
enum models::Shape
field models::Status::note: Option<String>
field models::Status::started: Option<String>
field models::Status::state: Option<models::State>
fn apis::things::Things::list_things(&self) -> ListThings
impl models::Status: Default
variant models::Shape::Circle(f64)
variant models::State::Done
";

#[test]
fn an_unchanged_listing_has_no_changes() {
    let changes = changes(BEFORE, BEFORE);
    assert!(changes.is_empty());
    assert_eq!(changes.bump(), "none");
}

#[test]
fn removals_and_changed_signatures_break_callers() {
    let after = BEFORE
        .replace("field models::Status::started: Option<String>\n", "")
        .replace("note: Option<String>", "note: String")
        .replace(
            "list_things(&self)",
            "list_things(&self, source_id: impl Into<String>)",
        )
        .replace("impl models::Status: Default\n", "");
    let changes = changes(BEFORE, &after);
    assert_eq!(
        changes.breaking,
        [
            "field `models::Status::note` became required",
            "field `models::Status::started` removed",
            "fn `apis::things::Things::list_things` changed from `(&self) -> ListThings` to `(&self, source_id: impl Into<String>) -> ListThings`",
            "impl `models::Status: Default` removed",
        ]
    );
    assert!(changes.additive.is_empty());
    assert!(changes.bump().starts_with("breaking"));
}

#[test]
fn additions_are_additive_except_variants_of_exhaustive_enums() {
    let after = BEFORE
        .replace(
            "field models::Status::note",
            "field models::Status::extra: Option<i64>\nfield models::Status::note",
        )
        .replace(
            "variant models::State::Done",
            "variant models::State::Done\nvariant models::State::Paused",
        )
        .replace(
            "variant models::Shape::Circle(f64)",
            "variant models::Shape::Circle(f64)\nvariant models::Shape::Square(f64)",
        );
    let changes = changes(BEFORE, &after);
    assert_eq!(
        changes.additive,
        [
            "field `models::Status::extra` added (`: Option<i64>`)",
            "variant `models::State::Paused` added",
        ]
    );
    assert_eq!(
        changes.breaking,
        ["variant `models::Shape::Square` added (`(f64)`) to an exhaustive enum"]
    );
}

#[test]
fn the_listing_reads_public_items_and_their_signatures() {
    let files = BTreeMap::from([
        (
            "src/models/status.rs".to_owned(),
            "/// S.\n#[derive(Debug, Clone, Default)]\npub struct Status { pub note: ::std::option::Option<::std::string::String>, hidden: i32 }\nimpl Status { pub fn new(mut note: impl ::std::convert::Into<::std::string::String>) -> Self { todo!() } fn private(&self) {} }\n".to_owned(),
        ),
        ("src/models/mod.rs".to_owned(), "pub use self::status::Status;\n".to_owned()),
    ]);
    let listing = listing(&files);
    let lines: Vec<&str> = listing
        .lines()
        .filter(|line| !line.starts_with('#'))
        .collect();
    assert_eq!(
        lines,
        [
            "field models::Status::note: Option<String>",
            "fn models::Status::new(note: impl Into<String>) -> Self",
            "impl models::Status: Clone",
            "impl models::Status: Debug",
            "impl models::Status: Default",
            "struct models::Status",
        ]
    );
}

#[test]
fn hand_written_files_list_signatures_without_bodies_or_docs() {
    let runtime = "//! The runtime.\n\
        pub use self::error::Error;\n\
        mod error;\n";
    let error = "/// Why a call failed.\n\
        #[non_exhaustive]\n\
        pub enum Error {\n\
            /// No answer.\n\
            Timeout {\n\
                /// The `operationId` of the call.\n\
                operation: &'static str,\n\
                /// How long was waited.\n\
                waited: std::time::Duration,\n\
            },\n\
            /// The answer.\n\
            Api(u16),\n\
        }\n\
        impl Error {\n\
            /// The operation.\n\
            pub fn operation(&self) -> Option<&'static str> where Self: Sized {\n\
                match self { Self::Timeout { operation, .. } => Some(operation), _ => None }\n\
            }\n\
            /// A body that is not Rust at all would fail to parse.\n\
            pub fn status(&self) -> u16 { ¤ not parsed ¤ }\n\
        }\n";
    let files = BTreeMap::from([
        ("src/runtime/mod.rs".to_owned(), runtime.to_owned()),
        ("src/runtime/error.rs".to_owned(), error.replace('¤', "")),
    ]);
    let items = items_of_texts(&files);
    let text = listing_text(&items);
    let lines: Vec<&str> = text.lines().filter(|line| !line.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "enum Error #[non_exhaustive]",
            "fn Error::operation(&self) -> Option<&'static str>",
            "fn Error::status(&self) -> u16",
            "variant Error::Api(u16)",
            "variant Error::Timeout{ operation: &'static str, waited: std::time::Duration, }",
        ]
    );
}

#[test]
fn a_struct_variant_added_to_a_non_exhaustive_enum_is_additive() {
    let after = format!(
        "{BEFORE}variant models::State::Failed{{ reason: String, at: chrono::DateTime<chrono::Utc>, }}\n"
    );
    let changes = changes(BEFORE, &after);
    assert_eq!(
        changes.additive,
        ["variant `models::State::Failed` added (`{ reason: String, at: chrono::DateTime<chrono::Utc>, }`)"]
    );
    assert!(changes.breaking.is_empty(), "{:?}", changes.breaking);
}

#[test]
fn a_std_path_written_short_is_no_change() {
    let before = "impl models::Value: ::std::convert::From<::std::vec::Vec<String>>\n";
    let after = "impl models::Value: From<Vec<String>>\n";
    assert!(changes(before, after).is_empty());
}
