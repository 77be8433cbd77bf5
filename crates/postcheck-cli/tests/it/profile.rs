//! Sender profiles end to end: the corrected SPF record the CLI proposes, evaluated by the
//! project's own engine against the fixture DNS with that record in place, passes for every
//! profile IP and stays within 10 lookups.

use crate::cli::bed_present;
use crate::cli::{Transport, postcheck, transport_args};
use postcheck_core::dns::{Answer, AnswerCache, Query, RecordData, RecordType};
use postcheck_core::spf::{SpfInput, SpfResult, evaluate};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, UdpSocket};
use std::time::Duration;

/// A blocking stub resolver for the test: UDP to the bed's dnsdist, TCP when truncated.
fn resolve(query: &Query) -> Answer {
    let server: SocketAddr = std::env::var("POSTCHECK_TEST_NS")
        .expect("run through ./scripts/test")
        .parse()
        .unwrap();
    let packet = postcheck_dns::encode_query(query, 4242, postcheck_dns::EncodeOptions::new())
        .expect("encode");
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    socket.send_to(&packet, server).unwrap();
    let mut buffer = vec![0u8; 4096];
    let Ok(length) = socket.recv(&mut buffer) else {
        return Answer::failed(postcheck_core::dns::Failure::Timeout);
    };
    let response = postcheck_dns::decode_response(&buffer[..length], query).expect("decode");
    if !response.truncated {
        return response.answer;
    }
    let mut stream = TcpStream::connect(server).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    stream
        .write_all(&(packet.len() as u16).to_be_bytes())
        .unwrap();
    stream.write_all(&packet).unwrap();
    let mut length = [0u8; 2];
    stream.read_exact(&mut length).unwrap();
    let mut body = vec![0u8; u16::from_be_bytes(length) as usize];
    stream.read_exact(&mut body).unwrap();
    postcheck_dns::decode_response(&body, query)
        .expect("decode")
        .answer
}

/// `check_host()` for `ip` at `domain`, with `record` standing in for the domain's SPF record.
fn evaluate_with(domain: &str, record: &str, ip: IpAddr) -> (SpfResult, u32) {
    let input = SpfInput::for_domain(domain, ip);
    let mut cache = AnswerCache::new();
    loop {
        match evaluate(&input, &cache) {
            Ok(outcome) => return (outcome.result, outcome.lookups),
            Err(queries) => {
                for query in queries {
                    let answer = if query == Query::new(domain, RecordType::Txt) {
                        Answer::records(vec![RecordData::Txt(vec![record.as_bytes().to_vec()])])
                    } else {
                        resolve(&query)
                    };
                    cache.insert(query, answer);
                }
            }
        }
    }
}

fn check_with_profile(domain: &str, profile: &str) -> Value {
    let directory =
        std::env::temp_dir().join(format!("postcheck-profile-{}-{domain}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("profile.toml");
    std::fs::write(&path, profile).unwrap();
    let mut args: Vec<String> = [
        "check",
        domain,
        "--json",
        "--profile",
        path.to_str().unwrap(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(transport_args(Transport::Dns));
    let run = postcheck(&args);
    std::fs::remove_dir_all(&directory).unwrap();
    run.json()
}

fn codes(report: &Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

#[test]
fn a_missing_include_and_range_are_added_before_all() {
    if !bed_present("a_missing_include_and_range_are_added_before_all") {
        return;
    }
    let profile = r#"
        name = "Example Mailer"
        spf = ["include:_spf.mailer.test", "ip4:198.51.100.0/24"]
        ips = ["198.51.100.7", "192.0.2.66"]
    "#;
    let report = check_with_profile("clean.spf.test", profile);
    assert!(
        codes(&report).contains(&"profile-spf-missing"),
        "{:?}",
        codes(&report)
    );
    let corrected = report["profile"]["corrected_record"]
        .as_str()
        .expect("a corrected record");
    assert_eq!(
        corrected,
        "v=spf1 ip4:192.0.2.0/28 mx include:_spf.mailer.test ip4:198.51.100.0/24 -all"
    );
    assert_eq!(report["profile"]["corrected_lookups"], 4);
    let action = report["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "profile-spf-missing")
        .unwrap();
    assert_eq!(action["record"]["name"], "clean.spf.test");
    assert_eq!(action["record"]["value"], corrected);
    // A vendor IP that fails today is fixed by the profile's record, not by a one-IP patch
    // that the next IP change of the vendor would break again.
    let not_authorized: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "spf-ip-not-authorized")
        .collect();
    assert!(
        !not_authorized.is_empty(),
        "198.51.100.7 is not authorized yet"
    );
    for finding in not_authorized {
        assert_eq!(finding["params"]["fix"], corrected, "{finding}");
    }
    for ip in ["198.51.100.7", "192.0.2.66", "192.0.2.10"] {
        let (result, lookups) = evaluate_with("clean.spf.test", corrected, ip.parse().unwrap());
        assert_eq!(result, SpfResult::Pass, "{ip} with {corrected}");
        assert!(lookups <= 10);
    }
    let (result, _) = evaluate_with("clean.spf.test", corrected, "198.18.0.1".parse().unwrap());
    assert_eq!(
        result,
        SpfResult::Fail,
        "the corrected record still rejects strangers"
    );
}

#[test]
fn over_the_limit_a_and_mx_are_flattened_into_addresses() {
    if !bed_present("over_the_limit_a_and_mx_are_flattened_into_addresses") {
        return;
    }
    let profile = r#"
        name = "Example Mailer"
        spf = ["ip4:198.51.100.0/24"]
        ips = ["198.51.100.7"]
    "#;
    let report = check_with_profile("lookup-limit.spf.test", profile);
    let corrected = report["profile"]["corrected_record"]
        .as_str()
        .expect("a corrected record");
    assert!(
        report["profile"]["corrected_lookups"].as_u64().unwrap() <= 10,
        "{}",
        report["profile"]
    );
    assert!(
        !report["profile"]["replacements"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    for ip in ["198.51.100.7", "192.0.2.30", "192.0.2.10"] {
        let (result, lookups) =
            evaluate_with("lookup-limit.spf.test", corrected, ip.parse().unwrap());
        assert_eq!(result, SpfResult::Pass, "{ip} with {corrected}");
        assert!(lookups <= 10, "{lookups} lookups with {corrected}");
    }
    let (result, _) = evaluate_with(
        "lookup-limit.spf.test",
        corrected,
        "198.18.0.1".parse().unwrap(),
    );
    assert_eq!(
        result,
        SpfResult::Fail,
        "no permerror any more: {corrected}"
    );
}

#[test]
fn an_authorized_vendor_needs_no_change() {
    if !bed_present("an_authorized_vendor_needs_no_change") {
        return;
    }
    let profile = r#"
        name = "Provider"
        spf = ["include:_spf.provider.test"]
        ips = ["203.0.113.5"]
    "#;
    let report = check_with_profile("ok.spf.test", profile);
    let found = codes(&report);
    assert!(found.contains(&"profile-spf-ok"), "{found:?}");
    assert!(!found.contains(&"profile-spf-missing"));
    assert!(report["profile"]["corrected_record"].is_null());
}

#[test]
fn a_broken_profile_is_refused_with_exit_2() {
    if !bed_present("a_broken_profile_is_refused_with_exit_2") {
        return;
    }
    let directory =
        std::env::temp_dir().join(format!("postcheck-bad-profile-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    for (name, text) in [
        ("unknown-field", "name = \"x\"\nspff = []\n"),
        ("bad-mechanism", "name = \"x\"\nspf = [\"-all\"]\n"),
    ] {
        let path = directory.join(format!("{name}.toml"));
        std::fs::write(&path, text).unwrap();
        let mut args: Vec<String> = ["check", "ok.spf.test", "--profile", path.to_str().unwrap()]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(transport_args(Transport::Dns));
        let run = postcheck(&args);
        assert_eq!(run.status, 2, "{name}: {}", run.stderr);
        assert!(run.stderr.contains("profile"), "{name}: {}", run.stderr);
    }
    std::fs::remove_dir_all(&directory).unwrap();
}
