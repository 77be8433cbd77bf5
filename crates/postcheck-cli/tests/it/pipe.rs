//! Output into a closed pipe (`postcheck … | head -1` after `head` has gone): the CLI ends
//! quietly with exit status 0, as ripgrep does, instead of panicking in `println!`.

use std::io::Write as _;
use std::process::{Command, Stdio};

/// Runs `postcheck args` with standard output a pipe whose read end is already closed, and
/// `input` on standard input (read before anything is written, so the pipe is closed by then).
/// Returns the exit status and standard error.
fn into_closed_pipe(args: &[&str], input: &[u8]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_postcheck"))
        .args(args)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start postcheck");
    // The only read end of the output pipe: closed before the child has its input.
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().expect("stdin");
    // A `check` without `--batch` does not read it and may be gone already.
    let _ = stdin.write_all(input);
    drop(stdin);
    let output = child.wait_with_output().expect("wait for postcheck");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn bounce_corpus(file: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/bounces/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("read the bounce")
}

fn header_set(file: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/headers/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("read the headers")
}

#[test]
fn output_into_a_closed_pipe_ends_quietly_with_status_0() {
    let bounce = bounce_corpus("gmail-plain-en-auth.txt");
    let headers = header_set("misaligned-vendor.txt");
    for (args, input) in [
        (&["bounce"][..], &bounce),
        (&["bounce", "--json"][..], &bounce),
        (&["headers"][..], &headers),
        (&["headers", "--json"][..], &headers),
    ] {
        let (status, stderr) = into_closed_pipe(args, input);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(status, 0, "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} is quiet: {stderr}");
    }
}

#[test]
fn a_check_into_a_closed_pipe_ends_quietly_with_status_0() {
    if !crate::cli::bed_present("a_check_into_a_closed_pipe_ends_quietly_with_status_0") {
        return;
    }
    for transport in crate::cli::TRANSPORTS {
        let transport = crate::cli::transport_args(transport);
        let transport: Vec<&str> = transport.iter().map(String::as_str).collect();
        for mut args in [
            vec!["check", "ok.spf.test"],
            vec!["check", "ok.spf.test", "--json"],
            vec!["check", "--batch", "-"],
        ] {
            args.extend(&transport);
            let (status, stderr) = into_closed_pipe(&args, b"ok.spf.test\nclean.spf.test\n");
            assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
            assert_eq!(status, 0, "{args:?}: {stderr}");
        }
    }
}
