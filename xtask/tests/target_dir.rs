//! The tests, `whole-api` and `bench` write only under the target folder
//! cargo uses, wherever it was put (`CARGO_TARGET_DIR`, `build.target-dir`,
//! a folder made before cargo ran): `xtask::target_dir` agrees with cargo.

#[test]
fn target_dir_is_the_one_cargo_builds_into() {
    assert_eq!(
        xtask::target_dir().join("tmp"),
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
    );
}
