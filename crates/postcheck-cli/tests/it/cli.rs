//! Runs the `postcheck` binary and reads its JSON, human output and exit status.

use serde_json::Value;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How the CLI reaches the fixture DNS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Dns,
    Doh,
}

pub const TRANSPORTS: [Transport; 2] = [Transport::Dns, Transport::Doh];

fn bed_variable(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run these tests through ./scripts/test (tests/bed/netns-run.sh starts the DNS servers)")
    })
}

/// Whether the test bed (real DNS servers in a private network namespace, started by
/// `tests/bed/netns-run.sh`, which needs root) is there. Without it a test that needs it says so
/// in one line and returns, so `cargo test --workspace` runs without root; `./scripts/test` sets
/// `POSTCHECK_REQUIRE_BED=1`, where a missing bed fails the test instead.
pub fn bed_present(test: &str) -> bool {
    if std::env::var_os("POSTCHECK_TEST_NS").is_some() {
        return true;
    }
    assert!(
        std::env::var_os("POSTCHECK_REQUIRE_BED").is_none(),
        "{test}: POSTCHECK_TEST_NS is not set, and POSTCHECK_REQUIRE_BED says the bed must be there"
    );
    // Past the harness's capture, once per run, so a root-free `cargo test` says what it left out.
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "postcheck-cli: tests that need the DNS test bed (root) are skipped, e.g. {test}; \
             ./scripts/test runs them"
        );
    });
    false
}

pub fn transport_args(transport: Transport) -> Vec<String> {
    match transport {
        Transport::Dns => vec!["--nameserver".into(), bed_variable("POSTCHECK_TEST_NS")],
        Transport::Doh => vec!["--doh".into(), bed_variable("POSTCHECK_TEST_DOH")],
    }
}

/// What one run printed.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs `postcheck` with `args`; a run that has not ended after 60 s fails the test (the CLI
/// must never hang). Output is read while the process runs, so a large report cannot block it.
pub fn postcheck(args: &[String]) -> Run {
    let child = Command::new(env!("CARGO_BIN_EXE_postcheck"))
        .args(args)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start postcheck");
    let id = child.id();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    let output = match receiver.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => output.expect("wait for postcheck"),
        Err(_) => {
            // Our own child, stopped by its PID.
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
            panic!("postcheck {args:?} hung for 60 s");
        }
    };
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `postcheck check <domain> --json` with the transport and extra arguments.
pub fn check_json(domain: &str, transport: Transport, extra: &[&str]) -> Run {
    let mut args = vec![
        "check".to_owned(),
        domain.to_owned(),
        "--json".to_owned(),
        "--timeout-ms".to_owned(),
        "400".to_owned(),
    ];
    args.extend(transport_args(transport));
    args.extend(extra.iter().map(|s| s.to_string()));
    postcheck(&args)
}

/// The codes of a report's findings.
pub fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_owned())
        .collect()
}

/// The contract tables of `tests/zones/README.md`.
const CONTRACT: &str = include_str!("../../../../tests/zones/README.md");

/// The rows of the contract table whose header line starts with `header`, as trimmed cells;
/// every row must have `width` cells.
pub fn contract_table(header: &str, width: usize) -> Vec<Vec<&'static str>> {
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in CONTRACT.lines() {
        if line.starts_with(header) {
            in_table = true;
            continue;
        }
        if !in_table || line.starts_with("|---") {
            continue;
        }
        if !line.starts_with('|') {
            if !rows.is_empty() {
                break;
            }
            continue;
        }
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        assert_eq!(
            cells.len(),
            width,
            "contract row with {width} cells: {line}"
        );
        rows.push(cells);
    }
    rows
}
