//! Helpers shared by the xtask tests.

#![allow(dead_code, unused_imports)] // Each test file uses a different part of it.

pub mod mutation;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use tempfile::TempDir;

/// A new, empty folder under `tmp/` of the target folder
/// ([`xtask::target_dir`], where cargo puts `CARGO_TARGET_TMPDIR`), named
/// for `label`; removed with everything in it when dropped.
pub fn temp_dir(label: &str) -> TempDir {
    let tmp = xtask::target_dir().join("tmp");
    std::fs::create_dir_all(&tmp).expect("the target folder is writable");
    tempfile::Builder::new()
        .prefix(&format!("{label}-"))
        .tempdir_in(tmp)
        .expect("the target folder is writable")
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

/// Runs the xtask binary with `arguments` in `cwd`.
pub fn xtask(cwd: &Path, arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(arguments)
        .current_dir(cwd)
        .output()
        .unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `relative` under SailPoint's reference specs (`../shared/specs/sailpoint-isc`).
/// Panics, saying so, where they are absent: a test of the whole-API tier
/// that was asked for and has nothing to test fails rather than passes.
#[track_caller]
pub fn reference_spec(relative: &str) -> PathBuf {
    let path = xtask::project_root()
        .join("../shared/specs/sailpoint-isc")
        .join(relative);
    assert!(
        path.exists(),
        "{} is absent: this test needs SailPoint's reference specs beside the project",
        path.display()
    );
    path
}

/// The target folder of the crates the tests build, shared so that their
/// dependencies are built once.
pub fn fixture_target() -> PathBuf {
    xtask::target_dir().join("fixtures")
}

/// Runs cargo with `arguments` in `dir`, with [`fixture_target`] and no
/// debug info (these builds are only run, never debugged; debug info was
/// most of their time and disk).
pub fn fixture_cargo(dir: &Path, arguments: &[&str]) -> Output {
    cargo_without_debug_info(dir, &fixture_target(), arguments)
}

/// Runs cargo with `arguments` in `dir`, with the target folder `target`
/// and no debug info.
pub fn cargo_without_debug_info(dir: &Path, target: &Path, arguments: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(arguments)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .output()
        .unwrap()
}

/// How many arbitrary JSON values and byte strings each model's decoder
/// gets in the decoder property test.
pub const DECODER_CASES: u32 = 256;

/// Adds `tests/decoders.rs` to the generated crate in `krate` (and
/// proptest to its dev-dependencies): every model's decoder is fed
/// arbitrary JSON values, shaped with the crate's own property names, and
/// arbitrary bytes, and must end in a value or an error, never a panic. A
/// value decoded is written back and must decode again.
pub fn add_decoder_property_test(krate: &Path) {
    let models = std::fs::read_to_string(krate.join("src/models/mod.rs")).unwrap();
    let names: Vec<&str> = models
        .lines()
        .filter(|line| line.starts_with("pub use self::"))
        .filter_map(|line| line.trim_end_matches(';').rsplit("::").next())
        .collect();
    // The wire names of properties, from the public-API listing's fields'
    // serde tables: the strings the decoders look for.
    let mut keys = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(krate.join("src/models")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some((_, quoted)) = line.rsplit_once(" = \"") {
                if let Some(key) = quoted.strip_suffix("\",") {
                    keys.insert(key.replace('\\', "\\\\").replace('"', "\\\""));
                }
            }
        }
    }
    let keys: Vec<String> = keys.into_iter().map(|key| format!("\"{key}\"")).collect();
    let calls: String = names
        .iter()
        .map(|name| format!("    check::<sailpoint_v2025::models::{name}>(&value, &bytes);\n"))
        .collect();
    let test = format!(
        r#"//! Written by xtask's tests: every model's decoder ends in a value or a
//! decode error on arbitrary input, never a panic.

use proptest::prelude::*;
use serde_json::Value;

const KEYS: &[&str] = &[{keys}];

fn json() -> impl Strategy<Value = Value> {{
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |x| x.is_finite()).prop_map(Value::from),
        prop::sample::select(KEYS).prop_map(Value::from),
        "\\PC{{0,12}}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {{
        let key = prop_oneof![prop::sample::select(KEYS).prop_map(str::to_owned), "\\PC{{0,8}}"];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    }})
}}

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value, bytes: &[u8]) {{
    if let Ok(decoded) = serde_json::from_value::<T>(value.clone()) {{
        let written = serde_json::to_value(&decoded).expect("a decoded value can be written");
        serde_json::from_value::<T>(written).expect("a written value decodes again");
    }}
    let _ = serde_json::from_slice::<T>(bytes);
}}

proptest! {{
    #![proptest_config(ProptestConfig {{ cases: {cases}, ..ProptestConfig::default() }})]

    #[test]
    fn decoders_never_panic(value in json(), bytes in prop::collection::vec(any::<u8>(), 0..64)) {{
{calls}    }}
}}
"#,
        keys = keys.join(", "),
        cases = DECODER_CASES,
    );
    std::fs::create_dir_all(krate.join("tests")).unwrap();
    std::fs::write(krate.join("tests/decoders.rs"), test).unwrap();
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    let dev = "proptest = { version = \"1\", default-features = false, features = [\"std\"] }\nserde = \"1\"\n";
    let manifest = if manifest.contains("[dev-dependencies]") {
        manifest.replacen(
            "[dev-dependencies]\n",
            &format!("[dev-dependencies]\n{dev}"),
            1,
        )
    } else {
        format!("{manifest}\n[dev-dependencies]\n{dev}")
    };
    std::fs::write(krate.join("Cargo.toml"), manifest).unwrap();
}

/// The documents of `tests/quirks/`, each with an off-spec detail that
/// codegen reads as its author meant; sorted.
#[allow(dead_code)] // Used by some of the test crates only.
pub fn quirk_fixtures() -> Vec<PathBuf> {
    let folder = xtask::project_root().join("xtask/tests/quirks");
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}
