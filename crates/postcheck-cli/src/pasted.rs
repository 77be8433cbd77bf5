//! Reads what a user pasted into a file or standard input (`bounce`, `headers`), size-capped.

use std::io::Read as _;

/// The most that is read (a whole returned message can be large).
const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// The text of `file` (`-` or none: standard input), invalid UTF-8 replaced.
pub fn read(file: Option<&str>) -> std::io::Result<String> {
    Ok(String::from_utf8_lossy(&read_bytes(file)?).into_owned())
}

/// The bytes of `file` (`-` or none: standard input), for readers that decode by charset.
pub fn read_bytes(file: Option<&str>) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    match file {
        None | Some("-") => {
            std::io::stdin().take(MAX_BYTES).read_to_end(&mut bytes)?;
        }
        Some(path) => {
            std::fs::File::open(path)?
                .take(MAX_BYTES)
                .read_to_end(&mut bytes)?;
        }
    }
    Ok(bytes)
}
