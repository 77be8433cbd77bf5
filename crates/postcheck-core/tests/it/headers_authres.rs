//! Authentication-Results (RFC 8601 §2.2): the examples of RFC 8601 Appendix B, and the test
//! vectors of other parsers in tests/vectors/authres (their README names the sources, and every
//! disagreement with the reason the other parser is wrong per RFC).

use postcheck_core::findings::Code;
use postcheck_core::headers::{self, AuthResults};
use serde_json::Value;
use std::collections::BTreeSet;

/// One result as `(method, version, result, reason, properties)`.
type Entry = (
    String,
    Option<u32>,
    String,
    Option<String>,
    Vec<(String, String)>,
);

/// One Authentication-Results field as `(authserv-id, version, results)`, for comparing with
/// the RFC's reading.
type Reading = (String, Option<u32>, Vec<Entry>);

fn reading(header: &AuthResults) -> Reading {
    (
        header.authserv_id.clone(),
        header.version,
        header
            .results
            .iter()
            .map(|r| {
                (
                    r.method.clone(),
                    r.version,
                    r.result.clone(),
                    r.reason.clone(),
                    r.properties.clone(),
                )
            })
            .collect(),
    )
}

fn result(
    method: &str,
    version: Option<u32>,
    result: &str,
    reason: Option<&str>,
    properties: &[(&str, &str)],
) -> Entry {
    (
        method.to_owned(),
        version,
        result.to_owned(),
        reason.map(str::to_owned),
        properties
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

/// The Authentication-Results fields of a message, each read and free of syntax errors.
fn fields(message: &str) -> Vec<Reading> {
    let report = headers::analyze(message);
    for header in &report.authentication_results {
        assert_eq!(header.diagnostics, [], "{message}");
    }
    report.authentication_results.iter().map(reading).collect()
}

/// RFC 8601 Appendix B.1: no Authentication-Results field at all.
#[test]
fn rfc_8601_b_1_has_no_field() {
    let message = "Received: from mail-router.example.com\n              (mail-router.example.com [192.0.2.1])\n          by server.example.org (8.11.6/8.11.6)\n              with ESMTP id g1G0r1kA003489;\n          Fri, Feb 15 2002 17:19:07 -0800\nFrom: sender@example.com\nDate: Fri, Feb 15 2002 16:54:30 -0800\nTo: receiver@example.org\nMessage-Id: <12345.abc@example.com>\nSubject: here's a sample\n\nHello!  Goodbye!\n";
    assert_eq!(fields(message), []);
}

/// RFC 8601 Appendix B.2–B.7: the Authentication-Results fields verbatim (with the RFC's
/// indentation of the continuation lines), and what each says.
#[test]
fn rfc_8601_appendix_b_examples_read_as_the_rfc_explains_them() {
    let none = |id: &str, version| (id.to_owned(), version, Vec::new());
    // B.2: nearly trivial case; service provided, but no authentication done.
    assert_eq!(
        fields("Authentication-Results: example.org 1; none\n"),
        [none("example.org", Some(1))]
    );
    // B.3: service provided, authentication done.
    assert_eq!(
        fields(
            "Authentication-Results: example.com;\n          spf=pass smtp.mailfrom=example.net\n"
        ),
        [(
            "example.com".to_owned(),
            None,
            vec![result(
                "spf",
                None,
                "pass",
                None,
                &[("smtp.mailfrom", "example.net")]
            )]
        )]
    );
    // B.4: service provided, several authentications done, single MTA.
    assert_eq!(
        fields(
            "Authentication-Results: example.com;\n          auth=pass (cram-md5) smtp.auth=sender@example.net;\n          spf=pass smtp.mailfrom=example.net\nAuthentication-Results: example.com; iprev=pass\n          policy.iprev=192.0.2.200\n"
        ),
        [
            (
                "example.com".to_owned(),
                None,
                vec![
                    result(
                        "auth",
                        None,
                        "pass",
                        None,
                        &[("smtp.auth", "sender@example.net")]
                    ),
                    result(
                        "spf",
                        None,
                        "pass",
                        None,
                        &[("smtp.mailfrom", "example.net")]
                    ),
                ]
            ),
            (
                "example.com".to_owned(),
                None,
                vec![result(
                    "iprev",
                    None,
                    "pass",
                    None,
                    &[("policy.iprev", "192.0.2.200")]
                )]
            ),
        ]
    );
    // B.5: service provided, several authentications done, different MTAs.
    assert_eq!(
        fields(
            "Authentication-Results: example.com;\n          dkim=pass (good signature) header.d=example.com\nAuthentication-Results: example.com;\n          auth=pass (cram-md5) smtp.auth=sender@example.com;\n          spf=fail smtp.mailfrom=example.com\n"
        ),
        [
            (
                "example.com".to_owned(),
                None,
                vec![result(
                    "dkim",
                    None,
                    "pass",
                    None,
                    &[("header.d", "example.com")]
                )]
            ),
            (
                "example.com".to_owned(),
                None,
                vec![
                    result(
                        "auth",
                        None,
                        "pass",
                        None,
                        &[("smtp.auth", "sender@example.com")]
                    ),
                    result(
                        "spf",
                        None,
                        "fail",
                        None,
                        &[("smtp.mailfrom", "example.com")]
                    ),
                ]
            ),
        ]
    );
    // B.6: service provided, multi-tiered authentication done.
    assert_eq!(
        fields(
            "Authentication-Results: example.com;\n      dkim=pass reason=\"good signature\"\n        header.i=@mail-router.example.net;\n      dkim=fail reason=\"bad signature\"\n        header.i=@newyork.example.com\nAuthentication-Results: example.net;\n      dkim=pass (good signature) header.i=@newyork.example.com\n"
        ),
        [
            (
                "example.com".to_owned(),
                None,
                vec![
                    result(
                        "dkim",
                        None,
                        "pass",
                        Some("good signature"),
                        &[("header.i", "@mail-router.example.net")]
                    ),
                    result(
                        "dkim",
                        None,
                        "fail",
                        Some("bad signature"),
                        &[("header.i", "@newyork.example.com")]
                    ),
                ]
            ),
            (
                "example.net".to_owned(),
                None,
                vec![result(
                    "dkim",
                    None,
                    "pass",
                    None,
                    &[("header.i", "@newyork.example.com")]
                )]
            ),
        ]
    );
    // B.7: comment-heavy example; comments around every `=`, `/` and `.`.
    assert_eq!(
        fields(
            "Authentication-Results: foo.example.net (foobar) 1 (baz);\n    dkim (Because I like it) / 1 (One yay) = (wait for it) fail\n      policy (A dot can go here) . (like that) expired\n      (this surprised me) = (as I wasn't expecting it) 1362471462\n"
        ),
        [(
            "foo.example.net".to_owned(),
            Some(1),
            vec![result(
                "dkim",
                Some(1),
                "fail",
                None,
                &[("policy.expired", "1362471462")]
            )]
        )]
    );
}

/// The forms the issue names, each on its own.
#[test]
fn quoted_values_none_versions_and_the_exchange_form() {
    let one = |value: &str| headers::parse_auth_results(value);
    let header = one("example.com; dkim=fail reason=\"a; b\" header.d=example.com");
    assert_eq!(header.results.len(), 1);
    assert_eq!(header.results[0].reason.as_deref(), Some("a; b"));
    assert_eq!(
        one("\"quoted.example\"; none").authserv_id,
        "quoted.example"
    );
    let header = one("example.org; none");
    assert_eq!(
        (header.authserv_id.as_str(), header.results.len()),
        ("example.org", 0)
    );
    assert_eq!(header.diagnostics, []);
    assert_eq!(one("example.com 1; spf=pass").version, Some(1));
    let header = one(
        "spf=pass (sender IP is 192.0.2.5) smtp.mailfrom=example.com; dkim=pass (signature was verified) header.d=example.com",
    );
    assert_eq!(header.authserv_id, "");
    assert_eq!(header.results[1].properties[0].1, "example.com");
    assert!(
        header
            .diagnostics
            .iter()
            .all(|f| f.code == Code::AuthresNonstandard)
    );
}

/// How one vector file compares results.
struct Rules {
    /// `all`: the vector lists every property; `subset`: the ones the other suite asserts.
    all_properties: bool,
    /// The version the other parser reports when none is written.
    version_default: Option<u64>,
}

fn disagreement(rules: &Rules, vector: &Value, header: &AuthResults) -> Option<String> {
    if vector["expect"] == "error" {
        // The other parser rejects the value; a parser that never stops must report it.
        return header
            .diagnostics
            .is_empty()
            .then(|| "the other parser rejects it; no diagnostic".to_owned());
    }
    let text = |v: &Value| v.as_str().map(str::to_owned);
    if let Some(expected) = vector.get("authserv_id") {
        let expected = text(expected).unwrap_or_default();
        if header.authserv_id != expected {
            return Some(format!(
                "authserv-id {:?} ≠ {expected:?}",
                header.authserv_id
            ));
        }
    }
    let version = |ours: Option<u32>| {
        ours.map(u64::from)
            .or(rules.version_default)
            .map_or(Value::Null, Value::from)
    };
    if let Some(expected) = vector.get("version")
        && version(header.version) != *expected
    {
        return Some(format!("version {:?} ≠ {expected}", header.version));
    }
    if let Some(expected) = vector.get("instance")
        && header.instance.map_or(Value::Null, Value::from) != *expected
    {
        return Some(format!("instance {:?} ≠ {expected}", header.instance));
    }
    let expected_results = vector.get("results").and_then(Value::as_array)?;
    let partial = vector["results_partial"] == true;
    if (partial && header.results.len() < expected_results.len())
        || (!partial && header.results.len() != expected_results.len())
    {
        return Some(format!(
            "{} results ≠ {}",
            header.results.len(),
            expected_results.len()
        ));
    }
    let checked: Option<Vec<usize>> = vector.get("check_results").map(|list| {
        list.as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_u64().unwrap() as usize)
            .collect()
    });
    for (index, (expected, ours)) in expected_results.iter().zip(&header.results).enumerate() {
        if checked.as_ref().is_some_and(|list| !list.contains(&index)) {
            continue;
        }
        if ours.method != expected["method"].as_str().unwrap()
            || ours.result != expected["result"].as_str().unwrap()
        {
            return Some(format!(
                "result {index}: {}={} ≠ {}={}",
                ours.method, ours.result, expected["method"], expected["result"]
            ));
        }
        if let Some(v) = expected.get("version")
            && version(ours.version) != *v
        {
            return Some(format!("result {index}: version {:?} ≠ {v}", ours.version));
        }
        if let Some(reason) = expected.get("reason")
            && ours.reason != text(reason)
        {
            return Some(format!(
                "result {index}: reason {:?} ≠ {reason}",
                ours.reason
            ));
        }
        if let Some(comment) = expected.get("comment")
            && ours.comment != text(comment)
        {
            return Some(format!(
                "result {index}: comment {:?} ≠ {comment}",
                ours.comment
            ));
        }
        // MimeKit keeps Exchange's `action=` apart; here it is the property `action`.
        let action = ours
            .properties
            .iter()
            .find(|(k, _)| k == "action")
            .map(|(_, v)| v.clone());
        if let Some(expected_action) = expected.get("action")
            && action != text(expected_action)
        {
            return Some(format!(
                "result {index}: action {action:?} ≠ {expected_action}"
            ));
        }
        let ours_properties: Vec<(String, String)> = ours
            .properties
            .iter()
            .filter(|(k, _)| !(k == "action" && expected.get("action").is_some()))
            .cloned()
            .collect();
        let expected_properties: Vec<(String, String)> = expected["properties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                (
                    pair[0].as_str().unwrap().to_owned(),
                    pair[1].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let exact = rules.all_properties || vector["properties_exact"] == true;
        let agrees = if exact {
            ours_properties == expected_properties
        } else {
            expected_properties
                .iter()
                .all(|p| ours_properties.contains(p))
        };
        if !agrees {
            return Some(format!(
                "result {index}: properties {ours_properties:?} ≠ {expected_properties:?}"
            ));
        }
    }
    None
}

/// The names of the vectors README.md lists as disagreements (`| file | name | … |` rows of
/// its disagreement table).
fn justified_disagreements(readme: &str) -> BTreeSet<(String, String)> {
    let mut rows = BTreeSet::new();
    let mut in_table = false;
    for line in readme.lines() {
        if line.starts_with("## Disagreements") {
            in_table = true;
            continue;
        }
        if in_table && line.starts_with("## ") {
            break;
        }
        if in_table && line.starts_with("| `") {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            rows.insert((
                cells[1].trim_matches('`').to_owned(),
                cells[2].trim_matches('`').to_owned(),
            ));
        }
    }
    rows
}

#[test]
fn the_vectors_of_other_parsers_agree_or_are_justified() {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/authres");
    let readme = std::fs::read_to_string(format!("{folder}/README.md")).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut total = 0;
    let mut agreeing = 0;
    let mut disagreements = BTreeSet::new();
    let mut details = Vec::new();
    // Values the other parser rejects that are read here with an info finding only (a provider
    // form read on purpose, such as Exchange's empty `header.from=`).
    let mut info_only = Vec::new();
    // Values the other parser accepts that break RFC 8601 §2.2: read alike, with a finding.
    let mut flagged = Vec::new();
    for path in &files {
        let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            readme.contains(file["source"].as_str().unwrap())
                && readme.contains(file["commit"].as_str().unwrap()),
            "{name}: README.md cites the source and commit"
        );
        let rules = Rules {
            all_properties: file["properties"] == "all",
            version_default: file["version_default"].as_u64(),
        };
        for vector in file["vectors"].as_array().unwrap() {
            total += 1;
            let header = headers::parse_auth_results(vector["input"].as_str().unwrap());
            if vector["expect"] != "error"
                && header
                    .diagnostics
                    .iter()
                    .any(|f| f.code == Code::AuthresSyntaxError)
            {
                flagged.push(format!("{name}: {}", vector["name"]));
            }
            if vector["expect"] == "error"
                && !header.diagnostics.is_empty()
                && header
                    .diagnostics
                    .iter()
                    .all(|f| f.code == Code::AuthresNonstandard)
            {
                info_only.push(format!("{name}: {}", vector["name"]));
            }
            match disagreement(&rules, vector, &header) {
                None => agreeing += 1,
                Some(why) => {
                    let vector_name = vector["name"].as_str().unwrap().to_owned();
                    details.push(format!("{name}: {vector_name}: {why}"));
                    disagreements.insert((name.clone(), vector_name));
                }
            }
        }
    }
    println!("authres vectors: {agreeing}/{total} agree");
    println!(
        "  rejected there, read here with an authres-nonstandard finding: {}",
        info_only.join(", ")
    );
    println!(
        "  accepted there, read alike here with an authres-syntax-error finding: {}",
        flagged.join(", ")
    );
    for line in &details {
        println!("  {line}");
    }
    assert!(total >= 150, "only {total} vectors");
    assert_eq!(
        disagreements,
        justified_disagreements(&readme),
        "every disagreement, and only those, is justified in tests/vectors/authres/README.md:\n{}",
        details.join("\n")
    );
}
