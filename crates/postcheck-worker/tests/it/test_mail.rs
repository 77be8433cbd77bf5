//! The test address under `wrangler dev` (issue 15): `POST /api/test-address`, real messages
//! handed to the worker's email handler through wrangler's local email endpoint
//! (`/cdn-cgi/handler/email`, as Cloudflare Email Routing would), the verdict read back from
//! `GET /api/test-address/<token>` (Workers KV as wrangler dev keeps it locally): a message
//! signed with the bed's DKIM key, the same with its body changed, an unsigned one from an IP
//! the domain's SPF record authorizes and from one it does not; unknown and used addresses are
//! refused with an SMTP reason, and a service without a mail domain says so.

use crate::client::{Reply, get, harness_present, post_with, worker};
use postcheck_core::report::SignedSnapshot;
use postcheck_core::spf::SpfResult;
use serde_json::Value;

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// A new test address from a client address of its own.
fn new_address(client: &str) -> (String, String) {
    new_address_for(client, b"")
}

/// A new test address, made with `body` (a vendor's sender profile, or nothing).
fn new_address_for(client: &str, body: &[u8]) -> (String, String) {
    let reply = post_with(
        &worker(),
        "/api/test-address",
        body,
        &[&format!("CF-Connecting-IP: {client}")],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let json = reply.json();
    let token = json["token"].as_str().unwrap().to_owned();
    let address = json["address"].as_str().unwrap().to_owned();
    assert_eq!(address, format!("check-{token}@check.test"));
    (token, address)
}

/// Hands `message` to the email handler, as Email Routing delivers it.
fn deliver(from: &str, to: &str, message: &[u8]) -> Reply {
    post_with(
        &worker(),
        &format!("/cdn-cgi/handler/email?from={from}&to={to}"),
        message,
        &[],
    )
}

/// A fixture message with the receiving hop the platform adds on top (from `ip`).
fn received_from(ip: &str, file: &str) -> Vec<u8> {
    let original = std::fs::read_to_string(format!("{REPO}/tests/headers/{file}")).unwrap();
    let mut message = format!(
        "Received: from sender.example (sender.example [{ip}])\r\n\tby mx.cloudflare.net with ESMTPS id t1;\r\n\tMon, 23 Nov 2026 10:00:02 +0100\r\n"
    );
    for line in original.lines() {
        message.push_str(line);
        message.push_str("\r\n");
    }
    message.into_bytes()
}

/// The stored result of a token.
fn result(token: &str) -> Value {
    let reply = get(&worker(), &format!("/api/test-address/{token}"));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let json = reply.json();
    assert_eq!(json["status"], "received", "{json}");
    json["result"].clone()
}

/// The report of a result's signed snapshot, as the page computes it.
fn report(result: &Value) -> postcheck_core::report::Report {
    let mut signed = result["report"].clone();
    assert_eq!(signed["complete"], true, "{signed}");
    let object = signed.as_object_mut().unwrap();
    for extra in ["complete", "rounds", "queries"] {
        object.remove(extra);
    }
    let signed: SignedSnapshot = serde_json::from_value(signed).expect("a signed snapshot");
    signed.report().expect("every answer the report needs")
}

#[test]
fn a_signed_message_is_verified_and_judged_with_the_ip_that_delivered_it() {
    if !harness_present("a_signed_message_is_verified_and_judged_with_the_ip_that_delivered_it") {
        return;
    }
    let (token, address) = new_address("198.18.150.1");
    let waiting = get(&worker(), &format!("/api/test-address/{token}"));
    assert_eq!(waiting.json()["status"], "waiting");
    let reply = deliver(
        "bounce@signed.report.test",
        &address,
        &received_from("192.0.2.95", "dkim-signed.eml"),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let result = result(&token);
    // The whole judgement (the DKIM key, the report's queries) within the invocation's
    // subrequests (SUBREQUEST_LIMIT 45 here; the harness enforces the platform's limits). After
    // other tests the isolate's cache may answer all of it: zero is within the budget too.
    assert!(result.get("error").is_none(), "{}", result["error"]);
    let subrequests = result["subrequests"]
        .as_u64()
        .expect("the invocation's account");
    assert!(subrequests <= 45, "{subrequests} subrequests");
    assert_eq!(result["message"]["ip"], "192.0.2.95");
    assert_eq!(result["message"]["header_from"], "signed.report.test");
    assert_eq!(
        result["message"]["envelope_from"],
        "bounce@signed.report.test"
    );
    let dkim = result["dkim"].as_array().unwrap();
    assert_eq!(dkim.len(), 1);
    assert_eq!(dkim[0]["domain"], "signed.report.test");
    assert_eq!(dkim[0]["result"], "pass", "{dkim:?}");
    // DMARC passes by the aligned signature although SPF fails.
    assert_eq!(result["dmarc"]["outcome"], "pass", "{}", result["dmarc"]);
    assert_eq!(result["dmarc"]["dkim_aligned"], "signed.report.test");
    // The check of the From domain with the delivering IP: signed.report.test's SPF is
    // `v=spf1 -all`, so the IP fails; its PTR record (mx.report.test) was looked up.
    let report = report(&result);
    assert_eq!(report.domain, "signed.report.test");
    assert_eq!(report.spf.results[0].ip.to_string(), "192.0.2.95");
    assert_eq!(report.spf.results[0].result, SpfResult::Fail);
    assert!(
        report
            .dkim
            .findings
            .iter()
            .all(|f| f.code.as_str() != "dkim-selector-missing")
    );
    // Nothing of the message is kept but what it says about itself: no body.
    assert!(!result.to_string().contains("Ihr Termin ist am Montag"));
    // One message per address: the next one is refused.
    let again = deliver(
        "bounce@signed.report.test",
        &address,
        &received_from("192.0.2.95", "dkim-signed.eml"),
    );
    assert_eq!(again.status, 400, "{}", again.text());
    assert!(again.text().contains("Unknown or expired test address"));
}

#[test]
fn a_changed_body_fails_its_signature() {
    if !harness_present("a_changed_body_fails_its_signature") {
        return;
    }
    let (token, address) = new_address("198.18.150.2");
    let reply = deliver(
        "bounce@signed.report.test",
        &address,
        &received_from("192.0.2.95", "dkim-signed-tampered.eml"),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let dkim = result(&token)["dkim"].clone();
    assert_eq!(dkim[0]["result"], "fail", "{dkim}");
}

#[test]
fn spf_is_judged_for_the_ip_that_delivered_the_message() {
    if !harness_present("spf_is_judged_for_the_ip_that_delivered_the_message") {
        return;
    }
    let unsigned = |ip: &str| {
        format!(
            "Received: from mx1.vendor-customer.test (mx1.vendor-customer.test [{ip}])\r\n\tby mx.cloudflare.net with ESMTPS id t2;\r\n\tMon, 23 Nov 2026 10:00:02 +0100\r\n\
             From: Kunde <info@vendor-customer.test>\r\nTo: someone@check.test\r\nSubject: Test\r\n\
             Date: Mon, 23 Nov 2026 10:00:00 +0100\r\nMessage-ID: <t-{ip}@vendor-customer.test>\r\n\r\nHallo\r\n"
        )
    };
    // 192.0.2.41 is an MX host of vendor-customer.test (`v=spf1 mx … -all`): pass.
    let (token, address) = new_address("198.18.150.3");
    let reply = deliver(
        "info@vendor-customer.test",
        &address,
        unsigned("192.0.2.41").as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let passed = result(&token);
    assert!(passed["dkim"].as_array().unwrap().is_empty());
    assert_eq!(report(&passed).spf.results[0].result, SpfResult::Pass);
    // Unsigned, but SPF passes for the envelope domain, which is the From domain: DMARC passes.
    assert_eq!(passed["dmarc"]["outcome"], "pass", "{}", passed["dmarc"]);
    assert_eq!(passed["dmarc"]["spf_aligned"], true);
    // 198.51.100.99 is not authorized: fail, and the fix names it.
    let (token, address) = new_address("198.18.150.4");
    let reply = deliver(
        "info@vendor-customer.test",
        &address,
        unsigned("198.51.100.99").as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let rejected = result(&token);
    // Neither passes aligned: DMARC fails, and vendor-customer.test's p=reject applies.
    assert_eq!(
        rejected["dmarc"]["outcome"], "fail",
        "{}",
        rejected["dmarc"]
    );
    assert_eq!(rejected["dmarc"]["policy"], "reject");
    let failed = report(&rejected);
    assert_eq!(failed.spf.results[0].result, SpfResult::Fail);
    let fix = failed
        .findings
        .iter()
        .find(|f| f.code.as_str() == "spf-ip-not-authorized")
        .expect("the IP is not authorized");
    assert!(fix.param("fix").contains("ip4:198.51.100.99"), "{fix:?}");
}

#[test]
fn unknown_addresses_are_refused_and_a_service_without_a_mail_domain_says_so() {
    if !harness_present("unknown_addresses_are_refused_and_a_service_without_a_mail_domain_says_so")
    {
        return;
    }
    let message = received_from("192.0.2.95", "dkim-signed.eml");
    let refused = deliver("a@b.example", "someone@check.test", &message);
    assert_eq!(refused.status, 400);
    assert!(
        refused.text().contains("Unknown test address"),
        "{}",
        refused.text()
    );
    let unknown = format!("check-{}@check.test", "a".repeat(26));
    let refused = deliver("a@b.example", &unknown, &message);
    assert_eq!(refused.status, 400);
    assert!(refused.text().contains("expired"), "{}", refused.text());
    let status = get(&worker(), &format!("/api/test-address/{}", "a".repeat(26)));
    assert_eq!(status.status, 404);
    assert_eq!(status.json()["error"]["code"], "test-address-unknown");
    let bad = get(&worker(), "/api/test-address/not-a-token");
    assert_eq!(bad.status, 404);
    // The failover instance has no TEST_MAIL_DOMAIN.
    let off = post_with(
        &crate::client::bed("POSTCHECK_TEST_WORKER_FAILOVER"),
        "/api/test-address",
        b"",
        &["CF-Connecting-IP: 198.18.150.5"],
    );
    assert_eq!(off.status, 503, "{}", off.text());
    assert_eq!(off.json()["error"]["code"], "test-address-off");
}

#[test]
fn an_address_made_for_a_vendor_judges_the_mail_with_its_profile() {
    if !harness_present("an_address_made_for_a_vendor_judges_the_mail_with_its_profile") {
        return;
    }
    let profile = br#"{"name":"Example Mailer","spf":["include:_spf.provider.test"]}"#;
    let (token, address) = new_address_for("198.18.150.6", profile);
    let message = "Received: from mx1.vendor-customer.test (mx1.vendor-customer.test [192.0.2.41])\r\n\tby mx.cloudflare.net with ESMTPS id t3;\r\n\tMon, 23 Nov 2026 10:00:02 +0100\r\n\
         From: Kunde <info@vendor-customer.test>\r\nTo: someone@check.test\r\nSubject: Test\r\n\
         Date: Mon, 23 Nov 2026 10:00:00 +0100\r\nMessage-ID: <t-vendor@vendor-customer.test>\r\n\r\nHallo\r\n";
    let reply = deliver("info@vendor-customer.test", &address, message.as_bytes());
    assert_eq!(reply.status, 200, "{}", reply.text());
    let report = report(&result(&token));
    assert_eq!(
        report.profile.as_ref().map(|p| p.name.as_str()),
        Some("Example Mailer")
    );
    // vendor-customer.test's SPF record includes _spf.provider.test: the vendor is authorized.
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code.as_str() == "profile-spf-ok"),
        "{:?}",
        report
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>()
    );
    // A body that is no sender profile is refused, and no address is made.
    let refused = post_with(
        &worker(),
        "/api/test-address",
        br#"{"name":"x","spf":["a:not-allowed"]}"#,
        &["CF-Connecting-IP: 198.18.150.7"],
    );
    assert_eq!(refused.status, 400, "{}", refused.text());
    assert_eq!(refused.json()["error"]["code"], "bad-json");
}
