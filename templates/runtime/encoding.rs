//! Wire encodings shared by the generated operations and models.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Percent-encodes `value` as exactly one path segment: everything but
/// RFC 3986 unreserved characters is escaped, so `/`, `?`, `#`, `%`, `+`
/// and spaces cannot change the path. `.` and `..` are escaped too, as URL
/// parsers would otherwise resolve them as dot-segments. A value with
/// nothing to escape, as IDs are, is returned as it is.
pub(crate) fn path_segment(value: &str) -> Cow<'_, str> {
    if value == "." || value == ".." {
        return Cow::Owned(value.replace('.', "%2E"));
    }
    if value.bytes().all(is_unreserved) {
        return Cow::Borrowed(value);
    }
    let mut encoded = String::with_capacity(value.len() + 8);
    for byte in value.bytes() {
        if is_unreserved(byte) {
            encoded.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    Cow::Owned(encoded)
}

/// RFC 3986's unreserved characters: the only ones a segment keeps as they are.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segment_escapes_everything_that_could_change_the_path() {
        assert_eq!(path_segment("a b/c+d"), "a%20b%2Fc%2Bd");
        assert_eq!(
            path_segment("ef38f943-47e9_4562.b5~"),
            "ef38f943-47e9_4562.b5~"
        );
        assert_eq!(path_segment("?#%&="), "%3F%23%25%26%3D");
        assert_eq!(path_segment("é"), "%C3%A9");
        assert_eq!(path_segment(".."), "%2E%2E");
        assert_eq!(path_segment("."), "%2E");
        assert_eq!(path_segment("a..b"), "a..b");
    }

    #[test]
    fn a_segment_with_nothing_to_escape_is_not_copied() {
        assert!(matches!(path_segment("src-1"), Cow::Borrowed("src-1")));
        assert!(matches!(path_segment("src 1"), Cow::Owned(_)));
    }
}
