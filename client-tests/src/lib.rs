//! Tests of the generated client live in `tests/`; the project README is
//! compiled here too, so that its examples stay true.
#![doc = include_str!("../../README.md")]
