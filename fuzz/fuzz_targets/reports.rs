//! Fuzz target `reports`: the body is `postcheck_fuzz_targets::reports`, which the stable replay test
//! (crates/postcheck-fuzz-targets/tests/replay.rs) runs on this target's corpus and artifacts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| postcheck_fuzz_targets::reports(data));
