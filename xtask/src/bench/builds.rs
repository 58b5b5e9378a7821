//! What an application's author waits for: the clean build of an
//! application on the fragment crate, against one that makes the same call
//! with only the HTTP stack (`reqwest` with the crate's TLS, `tokio`,
//! `serde_json`); the same application on one tag of the whole-v2025
//! crate, against the one on the fragment; and `cargo check` of the whole
//! crate after a change.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{cargo, interleaved, scratch, shared_spec, succeed, write_file, Job, Row, Samples};
use crate::standalone::{copy_tree, stand_alone};

/// Calls one operation of a generated crate named `sailpoint_v2025`.
const GENERATED_CLIENT_MAIN: &str = r#"#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = sailpoint_v2025::Client::from_env()?;
    let answer = client
        .classify_source()
        .get_classify_machine_account_from_source_status("ef38f94347e94562b5bb8424a56397d8")
        .await?;
    println!("{answer:?}");
    Ok(())
}
"#;

/// The same call with the HTTP stack alone.
const HTTP_STACK_MAIN: &str = r#"#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::var("SAIL_BASE_URL")?;
    let token = std::env::var("SAIL_ACCESS_TOKEN")?;
    let response = reqwest::Client::new()
        .get(format!("{base}/v2025/sources/ef38f94347e94562b5bb8424a56397d8/classify"))
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?;
    let answer: serde_json::Value = serde_json::from_slice(&response.bytes().await?)?;
    println!("{answer}");
    Ok(())
}
"#;

const TOKIO: &str = r#"tokio = { version = "1", default-features = false, features = ["macros", "rt-multi-thread"] }"#;

/// The clean-build rows: the fragment application against the HTTP stack
/// alone, and (with `../shared`) the one-tag application against the
/// fragment one, in the same rounds.
pub(super) fn application_rows(
    root: &Path,
    runs: usize,
    notes: &mut Vec<String>,
) -> Result<Vec<Row>, String> {
    let dir = scratch("applications")?;
    let fragment_crate = dir.join("fragment-crate");
    copy_tree(&root.join("generated"), &fragment_crate).map_err(|error| error.to_string())?;
    let reqwest = dependency_line(&fragment_crate.join("Cargo.toml"), "reqwest")?;
    let floor = application(
        &dir,
        "http-stack",
        &[&reqwest, TOKIO, r#"serde_json = "1""#],
        HTTP_STACK_MAIN,
    )?;
    let on_fragment = application(
        &dir,
        "on-fragment",
        &[r#"sailpoint-v2025 = { path = "../fragment-crate" }"#, TOKIO],
        GENERATED_CLIENT_MAIN,
    )?;
    notes.push(format!(
        "Applications are built in debug with a new target folder each time, pinned by the project's Cargo.lock; the HTTP-stack application's `{reqwest}` is the fragment crate's own line."
    ));
    let rounds = runs.clamp(1, 3);
    let (floor_packages, fragment_packages, one_tag_packages) =
        (Cell::new(0), Cell::new(0), Cell::new(0));
    let Some(whole) = shared_spec("sailpoint-api.v2025.yaml") else {
        let [floor_samples, fragment_samples] = interleaved(
            rounds,
            false,
            [
                clean_build(&floor, &floor_packages),
                clean_build(&on_fragment, &fragment_packages),
            ],
        )?;
        return Ok(vec![fragment_row(
            &fragment_samples,
            fragment_packages.get(),
            &floor_samples,
            floor_packages.get(),
        )]);
    };
    let whole_crate = dir.join("whole-crate");
    crate::whole_api::run(&whole, &whole_crate, None).map_err(|errors| errors.to_string())?;
    let on_one_tag = application(
        &dir,
        "on-one-tag",
        &[
            r#"sailpoint-v2025 = { path = "../whole-crate", default-features = false, features = ["classify_source", "idna-unicode-rs"] }"#,
            TOKIO,
        ],
        GENERATED_CLIENT_MAIN,
    )?;
    let [floor_samples, fragment_samples, one_tag_samples] = interleaved(
        rounds,
        false,
        [
            clean_build(&floor, &floor_packages),
            clean_build(&on_fragment, &fragment_packages),
            clean_build(&on_one_tag, &one_tag_packages),
        ],
    )?;
    let mut one_tag = Row::against(
        "clean build of the same application on the whole-v2025 crate with one tag's feature (`classify_source`)",
        &one_tag_samples,
        "on the fragment crate",
        &fragment_samples,
    );
    one_tag.ours = format!("{}; {} packages", one_tag.ours, one_tag_packages.get());
    Ok(vec![
        fragment_row(
            &fragment_samples,
            fragment_packages.get(),
            &floor_samples,
            floor_packages.get(),
        ),
        one_tag,
    ])
}

fn fragment_row(ours: &Samples, packages: usize, floor: &Samples, floor_packages: usize) -> Row {
    let mut row = Row::against(
        "clean build of an application on the fragment crate",
        ours,
        &format!(
            "the same call with `reqwest` + `tokio` + `serde_json` ({floor_packages} packages)"
        ),
        floor,
    );
    row.ours = format!("{}; {packages} packages", row.ours);
    row
}

/// The line of `manifest` that declares `dependency`, as written.
fn dependency_line(manifest: &Path, dependency: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|error| format!("cannot read {}: {error}", manifest.display()))?;
    text.lines()
        .find(|line| line.starts_with(&format!("{dependency} =")))
        .map(str::to_owned)
        .ok_or_else(|| format!("{} declares no `{dependency}`", manifest.display()))
}

/// Writes a binary crate `name` into `dir` with these dependency lines and
/// `main.rs`, its own workspace, pinned by the project's lock file.
pub(super) fn application(
    dir: &Path,
    name: &str,
    dependencies: &[&str],
    main: &str,
) -> Result<PathBuf, String> {
    let app = dir.join(name);
    write_file(
        &app.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{}\n",
            dependencies.join("\n")
        ),
    )?;
    write_file(&app.join("src/main.rs"), main)?;
    stand_alone(&app).map_err(|error| format!("cannot set up {}: {error}", app.display()))?;
    Ok(app)
}

/// A job that builds `app` from nothing (a new target folder, removed
/// after) and records how many packages were compiled in `packages`.
fn clean_build<'a>(app: &'a Path, packages: &'a Cell<usize>) -> Job<'a> {
    Box::new(move || {
        let target = app.join("target");
        let _ = std::fs::remove_dir_all(&target);
        let started = Instant::now();
        let output = succeed(
            cargo()
                .args(["build", "--message-format=json"])
                .current_dir(app)
                .env("CARGO_TARGET_DIR", &target),
            &format!("{} does not build", app.display()),
        )?;
        let took = started.elapsed();
        let built: std::collections::BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|message| message["reason"] == "compiler-artifact")
            .filter_map(|message| message["package_id"].as_str().map(str::to_owned))
            .collect();
        packages.set(built.len());
        let _ = std::fs::remove_dir_all(&target);
        Ok(took)
    })
}

/// `cargo check` of the whole-v2025 crate with its dependencies already
/// built (what a user waits for after a change to it), and its peak memory.
pub(super) fn whole_api_check(whole: &Path, runs: usize) -> Result<Row, String> {
    let dir = scratch("whole-api-check")?;
    let krate = dir.join("crate");
    let target = dir.join("target");
    // Builds the dependencies (and checks the crate once, unmeasured).
    let figures =
        crate::whole_api::run(whole, &krate, Some(&target)).map_err(|errors| errors.to_string())?;
    let check = figures.check.ok_or("no check was run")?;
    if !check.success {
        return Err(format!(
            "the whole-API crate does not compile:\n{}",
            check.output_tail
        ));
    }
    let (mut samples, mut peak) = (Vec::<Duration>::new(), 0);
    for _ in 0..runs.clamp(1, 3) {
        // Cleaning the crate alone makes cargo check it from scratch, and
        // nothing else.
        let _ = cargo()
            .args(["clean", "--quiet", "--package", "sailpoint-v2025"])
            .current_dir(&krate)
            .env("CARGO_TARGET_DIR", &target)
            .status();
        let check = crate::whole_api::cargo_check_with(&krate, &target, &[]);
        if !check.success {
            return Err(format!(
                "the whole-API crate does not compile:\n{}",
                check.output_tail
            ));
        }
        samples.push(check.duration);
        peak = peak.max(check.peak_rss_kib.unwrap_or(0));
    }
    Ok(Row::without_floor(
        "`cargo check` of the whole-v2025 crate, dependencies built",
        format!(
            "{}, peak {:.2} GB",
            Samples(samples).summary(),
            peak as f64 / 1_048_576.0
        ),
    ))
}
