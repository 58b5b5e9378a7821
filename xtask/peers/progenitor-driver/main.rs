//! Generates a client with progenitor from one bundled JSON spec into one
//! formatted file, as progenitor's own `build.rs` recipe does: the peer's
//! whole process, for `cargo xtask bench --peers`.
//!
//! Usage: `progenitor-driver SPEC.json OUT.rs`

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, spec, out] = args.as_slice() else {
        eprintln!("usage: progenitor-driver SPEC.json OUT.rs");
        return ExitCode::from(2);
    };
    match generate(spec, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("progenitor-driver: {error}");
            ExitCode::FAILURE
        }
    }
}

fn generate(spec: &str, out: &str) -> Result<(), Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(spec)?;
    let spec: openapiv3::OpenAPI = serde_json::from_str(&text)?;
    let mut generator = progenitor::Generator::default();
    let tokens = generator.generate_tokens(&spec)?;
    let file: syn::File = syn::parse2(tokens)?;
    std::fs::write(out, prettyplease::unparse(&file))?;
    Ok(())
}
