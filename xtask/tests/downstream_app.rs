//! An application already on reqwest 0.13 (default features) that builds
//! its own `reqwest::Client` first, hands it to the generated client and
//! calls the API: one HTTP stack, no panic for want of a TLS provider.

mod common;

use common::{fixture_cargo, text, TempDir};

const MAIN: &str = r#"
use std::io::{Read, Write};

fn main() {
    // The application's own client, built before any SailPoint client.
    let http = reqwest::Client::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buffer = [0u8; 4096];
        let _ = stream.read(&mut buffer).unwrap();
        stream
            .write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
            .unwrap();
    });
    let client = sailpoint_v2025::Client::builder()
        .base_url(&url)
        .access_token("token")
        .http_client(http)
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime
        .block_on(
            client
                .classify_source()
                .delete_classify_machine_account_from_source("source-1")
                .send(),
        )
        .unwrap();
    println!("cancelled");
}
"#;

#[test]
fn an_application_on_reqwest_0_13_shares_its_client_without_a_panic() {
    let root = xtask::project_root();
    let work = TempDir::new("downstream-app");
    let app = work.path().join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::write(app.join("src/main.rs"), MAIN).unwrap();
    std::fs::write(
        app.join("Cargo.toml"),
        format!(
            "[package]\nname = \"downstream-app\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nreqwest = \"0.13\"\nsailpoint-v2025 = {{ path = {:?} }}\n\
             tokio = {{ version = \"1\", features = [\"rt\"] }}\n\n[workspace]\n",
            root.join("generated")
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).unwrap();
    let output = fixture_cargo(&app, &["run", "--quiet"]);
    assert!(
        output.status.success(),
        "the application failed:\n{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert_eq!(text(&output.stdout).trim(), "cancelled");
    // One reqwest in the application's build.
    let lock = std::fs::read_to_string(app.join("Cargo.lock")).unwrap();
    assert_eq!(lock.matches("name = \"reqwest\"").count(), 1, "{lock}");
}
