//! Rust identifiers from spec names: words, case, keywords.

/// Words of `name`: split at anything that is not a letter or digit, and at
/// case changes (`trackingId` → tracking, Id; `HTTPServer` → HTTP, Server;
/// `V1Response` → V1, Response).
pub fn words(name: &str) -> Vec<String> {
    word_slices(name).map(str::to_owned).collect()
}

/// The words of `name`, as [`words`] cuts them, borrowed from it: for
/// readers of much text (the vocabulary counts every word of a spec).
pub fn word_slices(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| !c.is_alphanumeric())
        .flat_map(chunk_words)
}

/// The words of a run of letters and digits, cut at case changes.
fn chunk_words(chunk: &str) -> impl Iterator<Item = &str> {
    let mut chars = chunk.char_indices().peekable();
    let mut previous: Option<char> = None;
    let mut start = 0;
    std::iter::from_fn(move || {
        while let Some((index, c)) = chars.next() {
            let next = chars.peek().map(|&(_, next)| next);
            let boundary = previous.is_some_and(|previous| {
                ((previous.is_lowercase() || previous.is_ascii_digit()) && c.is_uppercase())
                    || (previous.is_uppercase()
                        && c.is_uppercase()
                        && next.is_some_and(char::is_lowercase))
            });
            previous = Some(c);
            if boundary && index > start {
                let word = &chunk[start..index];
                start = index;
                return Some(word);
            }
        }
        (start < chunk.len()).then(|| {
            let word = &chunk[start..];
            start = chunk.len();
            word
        })
    })
}

/// `snake_case`, a valid identifier; keywords are left for [`ident`].
pub fn snake(name: &str) -> String {
    let joined = words(name)
        .iter()
        .map(|word| word.to_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    fix_start(joined, "value_")
}

/// `PascalCase`, a valid identifier.
pub fn pascal(name: &str) -> String {
    let joined: String = words(name)
        .iter()
        .map(|word| {
            let lower = word.to_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect();
    fix_start(joined, "V")
}

/// `base`, or `base` with the first number from 2 that makes it free
/// (`{base}{separator}{n}`).
pub fn unique(base: &str, separator: &str, is_taken: impl Fn(&str) -> bool) -> String {
    if !is_taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}{separator}{n}"))
        .find(|candidate| !is_taken(candidate))
        .expect("finitely many names are taken")
}

/// The name of the variant that keeps values no other variant takes, in
/// an enum or union (`what`: `Enum`, `Union`): `Unknown` unless a variant
/// has that name.
pub fn fallback_variant(what: &str, is_taken: impl Fn(&str) -> bool) -> String {
    ["Unknown", "UnknownValue", "OtherValue"]
        .into_iter()
        .find(|candidate| !is_taken(candidate))
        .map_or_else(|| format!("UnknownValueOfThis{what}"), str::to_owned)
}

/// Identifiers cannot be empty or start with a digit.
fn fix_start(ident: String, prefix: &str) -> String {
    match ident.chars().next() {
        None => format!("{prefix}empty"),
        Some(first) if first.is_ascii_digit() => format!("{prefix}{ident}"),
        Some(_) => ident,
    }
}

/// Keywords of every edition, strict and reserved.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// A token for `name`: raw (`r#type`) when it is a keyword, suffixed with
/// `_` when not even a raw identifier may be spelled so.
pub fn ident(name: &str) -> proc_macro2::Ident {
    let span = proc_macro2::Span::call_site();
    if NOT_RAW.contains(&name) {
        proc_macro2::Ident::new(&format!("{name}_"), span)
    } else if KEYWORDS.contains(&name) {
        proc_macro2::Ident::new_raw(name, span)
    } else {
        proc_macro2::Ident::new(name, span)
    }
}

/// The reason phrase of a status, as a variant name (`404` → `NotFound`).
pub fn status_variant(status: u16) -> String {
    let phrase = match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        423 => "Locked",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{status}"),
    };
    phrase.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_splits_words_the_way_people_read_them() {
        assert_eq!(
            snake("getClassifyMachineAccountFromSourceStatus"),
            "get_classify_machine_account_from_source_status"
        );
        assert_eq!(
            snake("X-SailPoint-Experimental"),
            "x_sail_point_experimental"
        );
        assert_eq!(
            snake("Accounts submitted for processing"),
            "accounts_submitted_for_processing"
        );
        assert_eq!(snake("EXPECTED"), "expected");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert_eq!(snake("trackingId"), "tracking_id");
        assert_eq!(snake("v2025"), "v2025");
        assert_eq!(snake("2fa"), "value_2fa");
        assert_eq!(snake("***"), "value_empty");
    }

    #[test]
    fn words_are_cut_at_separators_and_case_changes() {
        let cut = |name| word_slices(name).collect::<Vec<_>>();
        assert_eq!(cut("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(cut("V1Response"), ["V1", "Response"]);
        assert_eq!(cut("sourceId2Fa"), ["source", "Id2", "Fa"]);
        assert_eq!(cut("--a__bC--"), ["a", "b", "C"]);
        assert_eq!(cut("ÉtéÀLaPlage"), ["Été", "À", "La", "Plage"]);
        assert_eq!(cut("ABC"), ["ABC"]);
        assert!(cut("").is_empty());
        assert_eq!(words("x-Total-Count"), ["x", "Total", "Count"]);
    }

    #[test]
    fn pascal_case_makes_type_and_variant_names() {
        assert_eq!(pascal("Classify Source"), "ClassifySource");
        assert_eq!(pascal("ErrorResponseDto"), "ErrorResponseDto");
        assert_eq!(pascal("STARTED"), "Started");
        assert_eq!(pascal("source-machine-account"), "SourceMachineAccount");
        assert_eq!(pascal("400.1"), "V4001");
        assert_eq!(pascal(""), "Vempty");
    }

    #[test]
    fn unique_names_count_from_two() {
        let taken = ["id", "id_2", "Text"];
        assert_eq!(unique("id", "_", |name| taken.contains(&name)), "id_3");
        assert_eq!(unique("Text", "", |name| taken.contains(&name)), "Text2");
        assert_eq!(unique("name", "_", |name| taken.contains(&name)), "name");
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("status").to_string(), "status");
    }
}
