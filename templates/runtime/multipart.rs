//! `multipart/form-data` request bodies.

use std::fmt::Write as _;

/// A `multipart/form-data` body: text fields and files, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: bytes::Bytes,
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: None,
            content_type: None,
            data: bytes::Bytes::from(value.into()),
        });
        self
    }

    /// Adds a file with its name and media type (such as `text/csv`).
    pub fn file(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<bytes::Bytes>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// The content type, with its boundary, and the encoded body.
    pub(crate) fn encode(&self) -> (String, bytes::Bytes) {
        let boundary = self.boundary();
        let mut body = Vec::new();
        for part in &self.parts {
            let mut head = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"",
                quote(&part.name)
            );
            if let Some(file_name) = &part.file_name {
                let _ = write!(head, "; filename=\"{}\"", quote(file_name));
            }
            head.push_str("\r\n");
            if let Some(content_type) = &part.content_type {
                let _ = write!(head, "Content-Type: {}\r\n", single_line(content_type));
            }
            head.push_str("\r\n");
            body.extend_from_slice(head.as_bytes());
            body.extend_from_slice(&part.data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (
            format!("multipart/form-data; boundary={boundary}"),
            body.into(),
        )
    }

    /// A boundary that occurs in no part.
    fn boundary(&self) -> String {
        let mut seed: u64 = 0x5EED_0FB0_0DA7_A5E5;
        for part in &self.parts {
            for byte in part.name.bytes().chain(part.data.iter().copied().take(64)) {
                seed = seed.rotate_left(5) ^ u64::from(byte);
            }
        }
        loop {
            let boundary = format!("sailpoint-boundary-{seed:016x}");
            let clashes = self.parts.iter().any(|part| {
                part.data
                    .windows(boundary.len())
                    .any(|window| window == boundary.as_bytes())
            });
            if !clashes {
                return boundary;
            }
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        }
    }
}

/// A header parameter value: quotes and line breaks escaped as browsers do.
fn quote(value: &str) -> String {
    value
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn single_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_by_a_boundary_that_occurs_in_none() {
        let body = Multipart::new().text("name", "value").file(
            "data",
            "a\"b.csv",
            "text/csv",
            "x,y\r\n1,2",
        );
        let (content_type, encoded) = body.encode();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let text = String::from_utf8(encoded.to_vec()).unwrap();
        assert_eq!(
            text,
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nvalue\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"data\"; filename=\"a%22b.csv\"\r\n\
                 Content-Type: text/csv\r\n\r\nx,y\r\n1,2\r\n--{boundary}--\r\n"
            )
        );
    }

    #[test]
    fn a_part_holding_the_first_boundary_gets_another() {
        let first = Multipart::new().text("a", "b").boundary();
        let tricky = Multipart::new().text("a", "b").text("c", first.clone());
        assert_ne!(tricky.boundary(), first);
        let boundary = tricky.boundary();
        assert!(!tricky.parts.iter().any(|part| part
            .data
            .windows(boundary.len())
            .any(|w| w == boundary.as_bytes())));
    }
}
