//! Replays every fuzz input kept in the repository through the target bodies, on stable and
//! without libFuzzer: `fuzz/corpus/<target>/*` (the minimized corpus, crash inputs of past
//! campaigns included as regressions) and `fuzz/artifacts/<target>/*` (crashes not yet moved
//! into the corpus). A panic names the file.

use postcheck_fuzz_targets::TARGETS;
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

fn inputs(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_target_has_a_fuzz_target_file_and_a_corpus() {
    for (name, _) in TARGETS {
        let source = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        assert!(source.is_file(), "{} is missing", source.display());
        let corpus = inputs(&fuzz_dir().join("corpus").join(name));
        assert!(!corpus.is_empty(), "fuzz/corpus/{name} is empty");
    }
}

#[test]
fn the_corpus_and_the_saved_crashes_replay_without_a_panic() {
    let mut replayed = 0;
    for (name, body) in TARGETS {
        for folder in ["corpus", "artifacts"] {
            for path in inputs(&fuzz_dir().join(folder).join(name)) {
                let data = std::fs::read(&path).expect("a readable fuzz input");
                let outcome = std::panic::catch_unwind(|| body(&data));
                assert!(outcome.is_ok(), "{name} panics on {}", path.display());
                replayed += 1;
            }
        }
    }
    assert!(replayed > 0);
}
