//! What changed between two public-API listings: which changes break
//! callers, which add to the API, and the version bump that follows.

use std::collections::BTreeMap;
use std::fmt;

use super::LISTING_PATH;

/// What changed between two listings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiChanges {
    /// Changes that break callers, described.
    pub breaking: Vec<String>,
    /// Additions that do not.
    pub additive: Vec<String>,
}

/// `line` with the paths of `std` a listing writes short (`long`, as a
/// listing writes them in full, and `short`) written short, so that a
/// listing made before they were (`::std::convert::From<&str>`) compares
/// equal to one made after (`From<&str>`).
fn short_std_paths(line: &str, long_forms: &[(String, &str)]) -> String {
    let mut line = line.to_owned();
    for (long, short) in long_forms {
        if line.contains(long.as_str()) {
            line = line.replace(long.as_str(), short);
        }
    }
    line
}

/// A listing's items by `(kind, path)`: its lines parsed back.
fn parse_listing(text: &str) -> BTreeMap<(String, String), String> {
    let long_forms: Vec<(String, &str)> = super::STD_SHORTENED
        .iter()
        .map(|(long, short)| (long.replace(' ', ""), *short))
        .collect();
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| short_std_paths(line, &long_forms))
        .filter_map(|line| {
            let (kind, rest) = line.split_once(' ')?;
            let cut = match kind {
                "fn" | "type" => rest.find(['(', '<', ' ']),
                "field" | "const" => rest.find(": "),
                "variant" => rest.find(['(', '{']),
                "struct" | "enum" => rest.find(" #["),
                _ => None,
            }
            .unwrap_or(rest.len());
            Some((
                (kind.to_owned(), rest[..cut].to_owned()),
                rest[cut..].to_owned(),
            ))
        })
        .collect()
}

/// What changed from the listing `old` to `new`.
pub fn changes(old: &str, new: &str) -> ApiChanges {
    // The usual run regenerates an unchanged crate.
    if old == new {
        return ApiChanges::default();
    }
    let old = parse_listing(old);
    let new = parse_listing(new);
    let mut changes = ApiChanges::default();
    let non_exhaustive = |listing: &BTreeMap<(String, String), String>, variant_path: &str| {
        let owner = variant_path
            .rsplit_once("::")
            .map_or("", |(owner, _)| owner);
        listing
            .get(&("enum".to_owned(), owner.to_owned()))
            .is_some_and(|marks| marks.contains("non_exhaustive"))
    };
    for ((kind, path), signature) in &old {
        match new.get(&(kind.clone(), path.clone())) {
            None => changes.breaking.push(format!("{kind} `{path}` removed")),
            Some(now) if now != signature => {
                let became_required = kind == "field"
                    && signature.starts_with(": Option<")
                    && !now.starts_with(": Option<");
                let what = if became_required {
                    "became required".to_owned()
                } else {
                    format!("changed from `{}` to `{}`", signature.trim(), now.trim())
                };
                changes.breaking.push(format!("{kind} `{path}` {what}"));
            }
            Some(_) => {}
        }
    }
    for ((kind, path), signature) in &new {
        if old.contains_key(&(kind.clone(), path.clone())) {
            continue;
        }
        // A new variant breaks an exhaustive `match` unless the enum is
        // `#[non_exhaustive]`.
        let shown = signature.trim();
        let described = if shown.is_empty() {
            format!("{kind} `{path}` added")
        } else {
            format!("{kind} `{path}` added (`{shown}`)")
        };
        if kind == "variant" && !non_exhaustive(&new, path) {
            changes
                .breaking
                .push(format!("{described} to an exhaustive enum"));
        } else {
            changes.additive.push(described);
        }
    }
    changes
}

impl ApiChanges {
    pub fn is_empty(&self) -> bool {
        self.breaking.is_empty() && self.additive.is_empty()
    }

    /// The version bump that follows.
    pub fn bump(&self) -> &'static str {
        if !self.breaking.is_empty() {
            "breaking: a major release (0.x: bump the minor version)"
        } else if !self.additive.is_empty() {
            "additive: a minor release (0.x: bump the patch version)"
        } else {
            "none"
        }
    }
}

/// How many changes of each kind are listed before the rest are counted.
const LISTED: usize = 12;

impl fmt::Display for ApiChanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "  public API: {} breaking, {} additive change(s); {}",
            self.breaking.len(),
            self.additive.len(),
            self.bump()
        )?;
        for (label, list) in [("breaking", &self.breaking), ("additive", &self.additive)] {
            for change in list.iter().take(LISTED) {
                writeln!(f, "    {label}: {change}")?;
            }
            if list.len() > LISTED {
                writeln!(
                    f,
                    "    … and {} more {label} change(s) (see the diff of {LISTING_PATH})",
                    list.len() - LISTED
                )?;
            }
        }
        Ok(())
    }
}
