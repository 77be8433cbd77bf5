//! `postcheck reports` on the corpus of tests/reports: exit statuses (0 when every file was
//! read, 3 when one was not, with the others still counted), the JSON shape, the CSV, and the
//! human output in German and English. No network.

use crate::cli::{Run, postcheck};
use serde_json::Value;
use std::path::PathBuf;

fn corpus(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/reports")
        .join(name)
        .display()
        .to_string()
}

fn reports(args: &[&str]) -> Run {
    let mut all = vec!["reports".to_owned()];
    all.extend(args.iter().map(|arg| {
        if arg.starts_with("--") {
            (*arg).to_owned()
        } else {
            corpus(arg)
        }
    }));
    postcheck(&all)
}

fn codes(values: &Value) -> Vec<&str> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

#[test]
fn readable_files_exit_0_with_the_merged_json() {
    let run = reports(&[
        "handmade/google.xml",
        "handmade/outlook-dmarcbis.xml",
        "--json",
        "--lang=en",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let json = run.json();
    assert_eq!(json["counts"]["files"], 2);
    assert_eq!(json["counts"]["aggregate_reports"], 2);
    assert_eq!(json["problems"], serde_json::json!([]));
    let domain = &json["domains"][0];
    assert_eq!(domain["domain"], "example.com");
    assert_eq!(domain["messages"], 225);
    assert_eq!(domain["dmarc_pass"], 170);
    assert_eq!(domain["policy"]["p"], "quarantine");
    let mailjet = &domain["groups"][0];
    assert_eq!(mailjet["name"], "Mailjet");
    assert_eq!(mailjet["verdict"], "legitimate-failing");
    assert_eq!(mailjet["messages"], 40);
    assert_eq!(mailjet["fix"]["kind"], "spf");
    assert_eq!(mailjet["fix"]["domain"], "bnc3.mailjet.com");
    // 45 of 215 legitimate messages fail.
    assert_eq!(domain["readiness"]["legitimate_messages"], 215);
    assert_eq!(domain["readiness"]["legitimate_failing"], 45);
    assert_eq!(domain["readiness"]["next"], "reject");
    assert_eq!(
        json["summary"][0],
        "example.com is not ready for p=reject yet: 21% of the mail from legitimate senders fails DMARC (Mailjet, SendGrid)."
    );
    let findings = &json["findings"];
    assert_eq!(
        codes(findings),
        [
            "report-not-ready",
            "report-legitimate-failing",
            "report-legitimate-failing",
            "report-unknown-failing",
            "report-unknown-failing",
        ]
    );
    // At p=quarantine the legitimate senders' failing mail is lost: an error.
    assert_eq!(findings[1]["severity"], "error");
    assert!(findings[1]["hint"].as_str().unwrap().contains("DKIM"));
    let first_ip = &domain["sources"][0];
    assert_eq!(first_ip["ip"], "192.0.2.10");
    assert_eq!(first_ip["messages"], 170);
    assert_eq!(first_ip["dkim_aligned"], 170);
    assert_eq!(
        first_ip["reporters"],
        serde_json::json!(["Outlook.com", "google.com"])
    );
}

#[test]
fn a_directory_with_broken_files_exits_3_and_still_counts_the_rest() {
    let run = reports(&["handmade", "--json"]);
    assert_eq!(run.status, 3, "{}", run.stderr);
    let json = run.json();
    let mut problems = codes(&json["problems"]);
    problems.sort_unstable();
    assert_eq!(
        problems,
        [
            "report-decompress-failed",
            "report-decompress-failed",
            "report-not-a-report",
            "report-unreadable",
            "report-xml-malformed",
        ]
    );
    for code in problems {
        assert!(run.stderr.contains(&format!("[{code}]")), "{}", run.stderr);
    }
    assert!(run.stderr.contains("unclosed-tag.xml"), "{}", run.stderr);
    // Seven distinct aggregate reports (the one with the broken byte names another
    // organization); the same ones in other wrappers are duplicates.
    assert_eq!(json["counts"]["aggregate_reports"], 7);
    assert_eq!(json["counts"]["duplicates"], 5);
    assert_eq!(json["counts"]["failure_reports"], 1);
    assert_eq!(json["counts"]["tls_reports"], 2);
    let files = json["files"].as_array().unwrap();
    let empty = files
        .iter()
        .find(|f| f["name"].as_str().unwrap().ends_with("empty.xml"))
        .unwrap();
    assert_eq!(empty["complete"], false);
    assert_eq!(json["tls"][0]["failed"], 100);
}

#[test]
fn a_missing_file_is_said_on_stderr_and_exits_3() {
    let run = reports(&["handmade/no-such-file.xml", "handmade/yahoo.xml", "--json"]);
    assert_eq!(run.status, 3);
    assert!(run.stderr.contains("no-such-file.xml"), "{}", run.stderr);
    assert_eq!(run.json()["counts"]["aggregate_reports"], 1);
}

#[test]
fn csv_has_one_row_per_domain_and_ip() {
    let run = reports(&["handmade/google.xml", "--csv"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "domain,ip,sender,verdict,messages,dmarc_pass,spf_pass,spf_aligned,dkim_pass,dkim_aligned,dispositions,reasons,header_from,dkim_domains,spf_domains,reporters"
    );
    assert_eq!(lines.len(), 1 + 5 + 1, "{}", run.stdout);
    assert_eq!(
        lines[2],
        "example.com,198.51.100.20,Mailjet,legitimate-failing,30,0,30,0,0,0,none=30,,example.com,,bnc3.mailjet.com,google.com"
    );
}

#[test]
fn human_output_in_german_and_english() {
    let files = [
        "handmade/google.xml",
        "handmade/tls-google.json",
        "handmade/failure-arf.eml",
    ];
    let mut args = files.to_vec();
    args.push("--lang=de");
    let german = reports(&args);
    assert_eq!(german.status, 0, "{}", german.stderr);
    for part in [
        "Gelesen: 3 Dateien, 1 Sammelberichte (0 doppelt), 1 Fehlerberichte, 1 TLS-Berichte",
        "► example.com ist noch nicht bereit für p=quarantine: 23 % der E-Mails bekannter Absender bestehen DMARC nicht (Mailjet, SendGrid).",
        "[legitimate-failing] Mailjet: 0/30 DMARC pass, 1 IP",
        "SPF besteht, aber für die Absenderdomain bnc3.mailjet.com, nicht für example.com.",
        "TLS-Berichte für example.com: 50 von 1000 Verbindungen (5 %) scheiterten an TLS",
        "mx2.example.com: 40",
        "Fehlerbericht: 1 E-Mail(s) als example.com von 203.0.113.5",
    ] {
        assert!(german.stdout.contains(part), "{part}\n{}", german.stdout);
    }
    let mut args = files.to_vec();
    args.push("--lang=en");
    let english = reports(&args);
    for part in [
        "Read: 3 files, 1 aggregate reports (0 duplicate), 1 failure reports, 1 TLS reports",
        "► example.com is not ready for p=quarantine yet: 23% of the mail from legitimate senders fails DMARC (Mailjet, SendGrid).",
        "SendGrid: 5 of 5 messages (100%) fail DMARC. They are DKIM-signed, but as sendgrid.net, not as example.com.",
        "192.0.2.10",
    ] {
        assert!(english.stdout.contains(part), "{part}\n{}", english.stdout);
    }
}

#[test]
fn real_samples_in_a_directory_leave_only_the_licence_and_the_known_broken_ones() {
    let run = reports(&["parsedmarc", "--json"]);
    assert_eq!(run.status, 3);
    let json = run.json();
    let mut problems: Vec<(String, String)> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let source = p["params"]["source"].as_str().unwrap();
            let file = source.rsplit('/').next().unwrap().to_owned();
            (p["code"].as_str().unwrap().to_owned(), file)
        })
        .collect();
    problems.sort();
    assert_eq!(
        problems,
        [
            (
                "report-not-a-report".to_owned(),
                "failure-exim-no-arf.eml".to_owned()
            ),
            (
                "report-unreadable".to_owned(),
                "LICENSE-parsedmarc".to_owned()
            ),
            (
                "report-xml-malformed".to_owned(),
                "invalid-xml.xml".to_owned()
            ),
        ]
    );
    assert_eq!(json["counts"]["aggregate_reports"], 19);
    assert_eq!(json["counts"]["failure_reports"], 3);
    assert_eq!(json["counts"]["tls_reports"], 4);
}

#[test]
fn no_file_is_a_usage_error() {
    let run = postcheck(&["reports".to_owned()]);
    assert_eq!(run.status, 2, "{}", run.stderr);
}

#[test]
fn a_vendors_sender_profile_names_its_mail() {
    let directory =
        std::env::temp_dir().join(format!("postcheck-reports-profile-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let profile = directory.join("profile.toml");
    std::fs::write(
        &profile,
        "name = \"Example Mailer\"\nspf = [\"include:spf.mailjet.com\"]\n",
    )
    .unwrap();
    let run = reports(&[
        &corpus("handmade/google.xml"),
        "--profile",
        profile.to_str().unwrap(),
        "--json",
    ]);
    std::fs::remove_dir_all(&directory).unwrap();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let groups = json["domains"][0]["groups"].as_array().unwrap();
    let vendor = groups
        .iter()
        .find(|g| g["name"] == "Example Mailer")
        .unwrap_or_else(|| panic!("no vendor group: {groups:#?}"));
    assert_eq!(vendor["verdict"], "legitimate-failing");
    assert_eq!(vendor["messages"], 30);
    assert!(!groups.iter().any(|g| g["name"] == "Mailjet"));
}

#[test]
fn with_ptr_mail_with_no_domain_is_named_by_its_servers_name() {
    if !crate::cli::bed_present("with_ptr_mail_with_no_domain_is_named_by_its_servers_name") {
        return;
    }
    // 192.0.2.80's PTR record in the bed is mail.clean.report.test; its mail here carries no
    // DKIM, SPF or envelope domain.
    let directory =
        std::env::temp_dir().join(format!("postcheck-reports-ptr-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let report = directory.join("report.xml");
    std::fs::write(
        &report,
        "<feedback><report_metadata><org_name>receiver.example</org_name><report_id>ptr-1</report_id>\
         <date_range><begin>1767225600</begin><end>1767311999</end></date_range></report_metadata>\
         <policy_published><domain>example.com</domain><p>none</p></policy_published>\
         <record><row><source_ip>192.0.2.80</source_ip><count>4</count><policy_evaluated>\
         <disposition>none</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>\
         <identifiers><header_from>example.com</header_from></identifiers><auth_results/></record>\
         </feedback>",
    )
    .unwrap();
    let path = report.to_str().unwrap();
    let group_names = |extra: &[String]| -> Vec<String> {
        let mut args = vec!["reports".to_owned(), path.to_owned(), "--json".to_owned()];
        args.extend(extra.iter().cloned());
        let run = postcheck(&args);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let json: Value = serde_json::from_str(&run.stdout).unwrap();
        json["domains"][0]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(group_names(&[]), ["unidentified"]);
    let mut online = vec!["--ptr".to_owned()];
    online.extend(crate::cli::transport_args(crate::cli::Transport::Dns));
    assert_eq!(group_names(&online), ["report.test"]);
    std::fs::remove_dir_all(&directory).unwrap();
}
