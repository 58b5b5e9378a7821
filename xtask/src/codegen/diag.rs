//! Located errors and warnings: every message says which file, and where in
//! it, the problem is.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a spec file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// A JSON pointer into a parsed document.
    Pointer { file: PathBuf, pointer: String },
    /// A JSON pointer's node, found at a line and column (1-based) of its
    /// file ([`crate::codegen::load::add_lines`]).
    Node {
        file: PathBuf,
        pointer: String,
        line: usize,
        column: usize,
    },
    /// A line and column (1-based), for syntax errors.
    LineColumn {
        file: PathBuf,
        line: usize,
        column: usize,
    },
    /// A whole file, or a folder.
    File(PathBuf),
}

impl Location {
    pub fn pointer(file: &Path, pointer: impl Into<String>) -> Self {
        Self::Pointer {
            file: file.to_path_buf(),
            pointer: pointer.into(),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Pointer { file, pointer } => write!(f, "{}#{}", display_path(file), pointer),
            Self::Node {
                file,
                pointer,
                line,
                column,
            } => write!(f, "{}:{line}:{column} (#{pointer})", display_path(file)),
            Self::LineColumn { file, line, column } => {
                write!(f, "{}:{line}:{column}", display_path(file))
            }
            Self::File(file) => write!(f, "{}", display_path(file)),
        }
    }
}

/// Paths as the user most likely typed them: relative to the working
/// directory when they are under it.
pub fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    relative
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// One reason the spec cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub location: Location,
    pub message: String,
}

impl Diagnostic {
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Self {
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every reason the spec cannot be generated, sorted by place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors(pub Vec<Diagnostic>);

impl Errors {
    pub fn one(location: Location, message: impl Into<String>) -> Self {
        Self(vec![Diagnostic::new(location, message)])
    }
}

impl From<Diagnostic> for Errors {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// A quirk of the spec that generation worked around.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// A short, stable name for the kind of quirk, for counting.
    pub kind: super::warnings::WarningKind,
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning[{}]: {}: {}",
            self.kind, self.location, self.message
        )
    }
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape_pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Reverses [`escape_pointer_segment`].
pub fn unescape_pointer_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// A JSON pointer with a segment appended.
pub fn push_pointer(pointer: &str, segment: &str) -> String {
    let mut pointer = pointer.to_owned();
    append_pointer_segment(&mut pointer, segment);
    pointer
}

/// Appends a segment to a JSON pointer in place, escaped.
pub fn append_pointer_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    if segment.contains(['~', '/']) {
        pointer.push_str(&escape_pointer_segment(segment));
    } else {
        pointer.push_str(segment);
    }
}
