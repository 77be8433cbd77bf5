//! Reads the expectation tables of the test corpora (tests/bounces, tests/headers): each row
//! `| `file` | cell | … |` as the file's text and its cells.

use std::path::PathBuf;

/// A corpus folder of the repository's `tests/`.
pub fn corpus(folder: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests")
        .join(folder)
}

/// Every row of the folder's README table: the file name, its text and the other cells.
pub fn rows(folder: &str) -> Vec<(String, String, Vec<String>)> {
    let dir = corpus(folder);
    let table = std::fs::read_to_string(dir.join("README.md")).unwrap();
    table
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<String> = line.split('|').map(|c| c.trim().to_owned()).collect();
            let cells = &cells[1..cells.len() - 1];
            let file = cells[0].trim_matches('`').to_owned();
            let text =
                std::fs::read_to_string(dir.join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            (file, text, cells[1..].to_vec())
        })
        .collect()
}
