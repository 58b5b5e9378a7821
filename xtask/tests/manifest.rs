//! The generated crate's manifest tells the truth: its `rust-version` is at
//! least every dependency's, so a user on that Rust can build it.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

/// `1.85`, `1.85.0` → (1, 85, 0).
fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|part| part.parse().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

/// The platform cargo builds for here (`host:` of `cargo -vV`).
fn host_platform() -> String {
    let output = Command::new(env!("CARGO")).arg("-vV").output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("`cargo -vV` names the host")
        .to_owned()
}

#[test]
fn the_rust_version_covers_every_dependency() {
    let manifest = xtask::project_root().join("generated/Cargo.toml");
    // Offline, and only this platform's packages: the build downloaded
    // those and no others (wasm-only packages are in the lock file, never
    // in a Linux build's cache).
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .arg("--filter-platform")
        .arg(host_platform())
        .arg("--manifest-path")
        .arg(&manifest)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages: BTreeMap<&str, &Value> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|package| (package["id"].as_str().unwrap(), package))
        .collect();
    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| (node["id"].as_str().unwrap(), node))
        .collect();
    let (root, ours) = packages
        .iter()
        .find(|(_, package)| package["name"] == "sailpoint-v2025")
        .unwrap();
    let our_version = ours["rust_version"]
        .as_str()
        .expect("the crate sets rust-version");
    // What the crate needs to build: normal and build dependencies.
    let mut seen = BTreeSet::new();
    let mut pending = vec![*root];
    while let Some(id) = pending.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dependency in nodes[id]["deps"].as_array().unwrap() {
            let needed = dependency["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|kind| kind["kind"].is_null() || kind["kind"] == "build");
            if needed {
                pending.push(dependency["pkg"].as_str().unwrap());
            }
        }
    }
    let too_new: Vec<String> = seen
        .iter()
        .filter_map(|id| {
            let package = packages[id];
            let theirs = package["rust_version"].as_str()?;
            (version(theirs) > version(our_version)).then(|| {
                format!(
                    "{} {} needs Rust {theirs}",
                    package["name"], package["version"]
                )
            })
        })
        .collect();
    assert!(
        too_new.is_empty(),
        "rust-version {our_version} is older than what dependencies need: {too_new:?}; raise it in templates/Cargo.toml.in"
    );
}
