//! Templates: the one reader of `templates/`, the hand-written parts of the
//! generated crate. Files are copied verbatim behind the header, except
//! the manifest, whose placeholders are filled from the IR:
//!
//! - `{{all_tags_by_default}}`, inside `default = [...]`: `, "all"` when
//!   the crate has a feature per tag, else nothing;
//! - `{{tag_features}}`, alone on its line: the `all` feature and a
//!   feature per tag, or no line when the crate has one tag.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::diag::{Diagnostic, Errors, Location};
use super::extensions::needs::NeedsFile;
use super::extensions::{self, Bound, ExtensionTemplate};
use super::ir::{Api, ALL_FEATURE};
use super::public_api::{self, Item};
use super::HEADER;

/// The manifest's placeholders: name, and what it stands for.
const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "all_tags_by_default",
        "`, \"all\"` in the default features of a crate with a feature per tag",
    ),
    (
        "tag_features",
        "the lines of the `all` feature and of each tag's feature",
    ),
];

/// What `templates/` holds, read once.
#[derive(Debug)]
pub struct Templates {
    /// `Cargo.toml.in`, placeholders unfilled.
    manifest: String,
    /// The package name of the manifest.
    pub crate_name: String,
    /// Files copied verbatim, by their path in the crate, header included.
    verbatim: BTreeMap<String, String>,
    /// `extensions/<name>.rs` with its needs (`<name>.yaml`), by name.
    pub extensions: Vec<ExtensionTemplate>,
}

impl Templates {
    /// Reads every template under `dir`.
    pub fn read(dir: &Path) -> Result<Self, Errors> {
        let manifest_path = dir.join("Cargo.toml.in");
        let manifest = read_text(&manifest_path)?;
        check_placeholders(&manifest, &manifest_path)?;
        let crate_name = package_name(&manifest)
            .ok_or_else(|| Errors::one(Location::File(manifest_path), "no `name = \"…\"` line"))?;
        let mut verbatim = BTreeMap::new();
        let readme = read_text(&dir.join("README.md.in"))?;
        verbatim.insert(
            "README.md".to_owned(),
            format!("<!-- {HEADER} Edit templates/README.md.in. -->\n{readme}"),
        );
        for (folder, target) in [("runtime", "src/runtime"), ("tests", "tests")] {
            let header =
                |relative: &str| format!("// {HEADER}\n// Edit templates/{folder}/{relative}.\n");
            for (relative, text) in rust_files(&dir.join(folder), folder == "tests", header)? {
                verbatim.insert(format!("{target}/{relative}"), text);
            }
        }
        verbatim.insert(
            "rustfmt.toml".to_owned(),
            format!(
                "# {HEADER}\n# prettyplease formats this crate; rustfmt would format it differently.\ndisable_all_formatting = true\n"
            ),
        );
        let extensions = read_extensions(&dir.join("extensions"))?;
        Ok(Self {
            manifest,
            crate_name,
            verbatim,
            extensions,
        })
    }

    /// The public items of the files copied verbatim.
    pub fn verbatim_items(&self) -> BTreeSet<Item> {
        public_api::items_of_texts(&self.verbatim)
    }

    /// Every templated file of the crate for `api`, by path: the files
    /// copied verbatim, the manifest filled in, and the extensions bound to
    /// it.
    pub fn files_for(&self, api: &Api, extensions: &[Bound<'_>]) -> BTreeMap<String, String> {
        let mut files = self.verbatim.clone();
        files.insert("Cargo.toml".to_owned(), self.manifest_for(api));
        for Bound { template, .. } in extensions {
            files.insert(
                extensions::crate_path(&template.name),
                format!(
                    "// {HEADER}\n// Edit templates/extensions/{}.rs.\n{}",
                    template.name, template.source
                ),
            );
        }
        files
    }

    /// `Cargo.toml`: the manifest with its placeholders filled.
    fn manifest_for(&self, api: &Api) -> String {
        let per_tag = api.groups.len() > 1;
        let all_by_default = if per_tag {
            format!(", \"{ALL_FEATURE}\"")
        } else {
            String::new()
        };
        let mut tag_lines = Vec::new();
        if per_tag {
            tag_lines.push(format!(
                "# A feature per tag; `{ALL_FEATURE}` turns on every tag."
            ));
            let quoted: Vec<String> = api
                .groups
                .iter()
                .map(|group| format!("\"{}\"", group.feature))
                .collect();
            tag_lines.push(format!("{ALL_FEATURE} = [{}]", quoted.join(", ")));
            tag_lines.extend(
                api.groups
                    .iter()
                    .map(|group| format!("{} = []", group.feature)),
            );
        }
        let mut text = format!("# {HEADER}\n# Edit templates/Cargo.toml.in.\n");
        for line in self.manifest.lines() {
            if line.trim() == "{{tag_features}}" {
                for tag_line in &tag_lines {
                    text.push_str(tag_line);
                    text.push('\n');
                }
                continue;
            }
            text.push_str(&line.replace("{{all_tags_by_default}}", &all_by_default));
            text.push('\n');
        }
        text
    }
}

/// Every placeholder of the text is known, and each known one is there.
fn check_placeholders(text: &str, file: &Path) -> Result<(), Errors> {
    let mut errors = Vec::new();
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                break;
            };
            let name = &after[..end];
            let at = Location::LineColumn {
                file: file.to_path_buf(),
                line: index + 1,
                column: line.len() - rest.len() + start + 1,
            };
            if PLACEHOLDERS.iter().any(|(known, _)| *known == name) {
                found.push(name.to_owned());
                if name == "tag_features" && line.trim() != "{{tag_features}}" {
                    errors.push(Diagnostic::new(
                        at,
                        "`{{tag_features}}` stands for whole lines: put it alone on its line",
                    ));
                }
            } else {
                errors.push(Diagnostic::new(
                    at,
                    format!(
                        "unknown placeholder `{{{{{name}}}}}`; the known ones are {}",
                        known_placeholders()
                    ),
                ));
            }
            rest = &after[end + 2..];
        }
    }
    for (name, meaning) in PLACEHOLDERS {
        if !found.iter().any(|found| found == name) {
            errors.push(Diagnostic::new(
                Location::File(file.to_path_buf()),
                format!("the placeholder `{{{{{name}}}}}` is missing: it stands for {meaning}"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Errors(errors))
    }
}

fn known_placeholders() -> String {
    PLACEHOLDERS
        .iter()
        .map(|(name, _)| format!("`{{{{{name}}}}}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `name` of the manifest's `[package]` table.
fn package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        if let Some(value) = line.strip_prefix("name").map(str::trim_start) {
            if let Some(value) = value.strip_prefix('=') {
                return Some(value.trim().trim_matches('"').to_owned());
            }
        }
    }
    None
}

/// The extensions under `dir` (none when it is absent): each `<name>.rs`
/// with its needs file `<name>.yaml`.
fn read_extensions(dir: &Path) -> Result<Vec<ExtensionTemplate>, Errors> {
    let mut extensions = Vec::new();
    let mut errors = Vec::new();
    for (relative, source) in rust_files(dir, true, |_| String::new())? {
        let Some(name) = relative.strip_suffix(".rs") else {
            continue;
        };
        let needs_path = dir.join(format!("{name}.yaml"));
        let needs = match std::fs::read_to_string(&needs_path) {
            Ok(text) => NeedsFile::parse(&needs_path, &text),
            Err(error) => Err(Errors::one(
                Location::File(needs_path.clone()),
                format!("cannot read the needs of the extension `{name}` ({error}); every extension says in `{name}.yaml` what it uses of the spec"),
            )),
        };
        match needs {
            Ok(needs) => extensions.push(ExtensionTemplate::new(
                name.to_owned(),
                dir.join(&relative),
                source,
                needs,
            )),
            Err(Errors(found)) => errors.extend(found),
        }
    }
    if errors.is_empty() {
        Ok(extensions)
    } else {
        Err(Errors(errors))
    }
}

/// The `.rs` files under `dir` with their text behind `header(path)`, by
/// `/`-separated path; an absent folder is empty when `optional`. The text
/// is read into the string that starts with the header (the runtime's
/// files are copied into the crate as they are: not copied twice).
fn rust_files(
    dir: &Path,
    optional: bool,
    header: impl Fn(&str) -> String,
) -> Result<Vec<(String, String)>, Errors> {
    if optional && !dir.exists() {
        return Ok(Vec::new());
    }
    let listed = super::fs::list_files(dir).map_err(|error| {
        Errors::one(
            Location::File(dir.to_path_buf()),
            format!("cannot list templates: {error}"),
        )
    })?;
    listed
        .into_iter()
        .filter(|path| path.ends_with(".rs"))
        .map(|relative| {
            let text = read_text_after(header(&relative), &dir.join(&relative))?;
            Ok((relative, text))
        })
        .collect()
}

fn read_text(path: &Path) -> Result<String, Errors> {
    read_text_after(String::new(), path)
}

/// `text`, then the text of the file at `path`.
fn read_text_after(mut text: String, path: &Path) -> Result<String, Errors> {
    use std::io::Read as _;
    std::fs::File::open(path)
        .and_then(|mut file| file.read_to_string(&mut text))
        .map_err(|error| {
            Errors::one(
                Location::File(path.to_path_buf()),
                format!("cannot read the template: {error}"),
            )
        })?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::testing::{document, lower_yaml};

    fn templates(manifest: &str) -> Templates {
        Templates {
            manifest: manifest.to_owned(),
            crate_name: "snippet".to_owned(),
            verbatim: BTreeMap::new(),
            extensions: Vec::new(),
        }
    }

    const MANIFEST: &str = "[package]\nname = \"snippet\"\n\n[features]\ndefault = [\"x\"{{all_tags_by_default}}]\nx = []\n{{tag_features}}\n";

    fn api(tags: &[&str]) -> Api {
        let paths: String = tags
            .iter()
            .map(|tag| {
                format!(
                    "/{tag}:\n  get:\n    operationId: get{tag}\n    tags: [{tag}]\n    responses:\n      '204': {{description: Done.}}\n"
                )
            })
            .collect();
        lower_yaml(&document(&paths, "Unused:\n  type: string\n")).0
    }

    #[test]
    fn one_tag_leaves_the_manifest_as_written() {
        assert_eq!(
            templates(MANIFEST).manifest_for(&api(&["Alpha"])),
            format!("# {HEADER}\n# Edit templates/Cargo.toml.in.\n[package]\nname = \"snippet\"\n\n[features]\ndefault = [\"x\"]\nx = []\n")
        );
    }

    #[test]
    fn several_tags_get_a_feature_each_and_all_by_default() {
        let manifest = templates(MANIFEST).manifest_for(&api(&["Alpha", "Beta"]));
        assert!(
            manifest.ends_with("default = [\"x\", \"all\"]\nx = []\n# A feature per tag; `all` turns on every tag.\nall = [\"alpha\", \"beta\"]\nalpha = []\nbeta = []\n"),
            "{manifest}"
        );
    }

    #[test]
    fn placeholders_are_checked_where_they_are_written() {
        let file = Path::new("Cargo.toml.in");
        assert!(check_placeholders(MANIFEST, file).is_ok());
        let errors = check_placeholders("a = [{{tag_features}}]\nb = {{nope}}\n", file)
            .unwrap_err()
            .to_string();
        assert!(
            errors.contains("Cargo.toml.in:1:6: `{{tag_features}}` stands for whole lines"),
            "{errors}"
        );
        assert!(
            errors.contains("Cargo.toml.in:2:5: unknown placeholder `{{nope}}`"),
            "{errors}"
        );
        assert!(
            errors.contains("`{{all_tags_by_default}}` is missing"),
            "{errors}"
        );
    }

    #[test]
    fn the_package_name_is_read_from_the_package_table() {
        assert_eq!(
            package_name(
                "[dependencies]\nname = \"no\"\n[package]\nversion = \"1\"\nname = \"yes\"\n"
            ),
            Some("yes".to_owned())
        );
        assert_eq!(package_name("[dependencies]\nname = \"no\"\n"), None);
    }
}
