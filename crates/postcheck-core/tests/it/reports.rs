//! The received-reports reader over tests/reports: the real receivers' samples (parsedmarc's,
//! see tests/reports/README.md) and the hand-made ones (written by
//! tests/reports/make-handmade.py), every wrapper and every kind of breakage, and the merged
//! analysis of a known sample with its exact counts.

use postcheck_core::Code;
use postcheck_core::reports::{
    self, AggregateReport, Analysis, Content, FileRead, Fix, GroupKind, Verdict, read_file,
};
use std::path::PathBuf;

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/reports")
        .join(name)
}

fn read(name: &str) -> FileRead {
    let bytes = std::fs::read(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    read_file(0, name, &bytes)
}

fn aggregates(file: &FileRead) -> Vec<&AggregateReport> {
    file.documents
        .iter()
        .filter_map(|document| match &document.content {
            Content::Aggregate(report) => Some(report),
            _ => None,
        })
        .collect()
}

fn codes(file: &FileRead) -> Vec<Code> {
    file.problems.iter().map(|finding| finding.code).collect()
}

fn analyze(names: &[&str]) -> Analysis {
    let files: Vec<FileRead> = names
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let bytes = std::fs::read(path(name)).unwrap();
            read_file(index, name, &bytes)
        })
        .collect();
    reports::analyze(&files)
}

#[test]
fn the_known_sample_gives_its_exact_counts_and_verdicts() {
    let analysis = analyze(&["handmade/google.xml"]);
    assert!(analysis.problems.is_empty(), "{:?}", analysis.problems);
    let [domain] = &analysis.domains[..] else {
        panic!("{:?}", analysis.domains)
    };
    assert_eq!(domain.domain, "example.com");
    assert_eq!((domain.messages, domain.dmarc_pass), (165, 120));
    let groups: Vec<(&str, GroupKind, Verdict, u64, u64)> = domain
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.kind, g.verdict, g.messages, g.dmarc_pass))
        .collect();
    assert_eq!(
        groups,
        [
            (
                "Mailjet",
                GroupKind::Provider,
                Verdict::LegitimateFailing,
                30,
                0
            ),
            (
                "SendGrid",
                GroupKind::Provider,
                Verdict::LegitimateFailing,
                5,
                0
            ),
            (
                "spoofer.example",
                GroupKind::Domain,
                Verdict::UnknownFailing,
                7,
                0
            ),
            (
                "unidentified",
                GroupKind::Unidentified,
                Verdict::UnknownFailing,
                3,
                0
            ),
            ("example.com", GroupKind::Own, Verdict::Aligned, 120, 120),
        ]
    );
    assert_eq!(
        domain.groups[0].fix,
        Some(Fix::Spf {
            domain: "bnc3.mailjet.com".to_owned()
        })
    );
    assert_eq!(
        domain.groups[1].fix,
        Some(Fix::Dkim {
            domain: "sendgrid.net".to_owned()
        })
    );
    // 35 of the 155 legitimate messages fail: not ready for quarantine.
    let readiness = &domain.readiness;
    assert_eq!(
        (
            readiness.legitimate_messages,
            readiness.legitimate_failing,
            readiness.ready
        ),
        (155, 35, false)
    );
    assert_eq!(readiness.next.as_deref(), Some("quarantine"));
    assert_eq!(readiness.failing_senders, ["Mailjet", "SendGrid"]);
    let top = &analysis.findings[0];
    assert_eq!(top.code, Code::ReportNotReady);
    assert_eq!(
        postcheck_core::message(top, postcheck_core::Lang::En),
        "example.com is not ready for p=quarantine yet: 23% of the mail from legitimate senders fails DMARC (Mailjet, SendGrid)."
    );
    let per_ip: Vec<(&str, u64, u64, u64, u64, u64)> = domain
        .sources
        .iter()
        .map(|s| {
            (
                s.ip.as_str(),
                s.messages,
                s.spf_pass,
                s.spf_aligned,
                s.dkim_pass,
                s.dkim_aligned,
            )
        })
        .collect();
    assert_eq!(
        per_ip,
        [
            ("192.0.2.10", 120, 120, 120, 120, 120),
            ("198.51.100.20", 30, 30, 0, 0, 0),
            ("203.0.113.5", 7, 0, 0, 0, 0),
            ("192.0.2.77", 5, 5, 0, 5, 0),
            ("203.0.113.9", 3, 0, 0, 0, 0),
        ]
    );
}

#[test]
fn one_report_reads_the_same_in_every_wrapper() {
    let plain = read("handmade/google.xml");
    let expected = aggregates(&plain)[0].clone();
    assert_eq!(expected.records.len(), 5);
    for name in ["handmade/google.xml.gz", "handmade/google-zip-attached.eml"] {
        let file = read(name);
        assert!(file.is_complete(), "{name}: {:?}", file.problems);
        assert_eq!(aggregates(&file), [&expected], "{name}");
    }
    let eml = read("handmade/google-zip-attached.eml");
    assert_eq!(
        eml.documents[0].origin.entry,
        "google.com!example.com!1767225600!1767311999.zip/google.com!example.com!1767225600!1767311999.xml"
    );
}

#[test]
fn a_zip_with_several_entries_and_gzip_inside() {
    let file = read("handmade/two-entries.zip");
    assert!(file.is_complete(), "{:?}", file.problems);
    let entries: Vec<&str> = file
        .documents
        .iter()
        .map(|d| d.origin.entry.as_str())
        .collect();
    assert_eq!(entries, ["yahoo.xml", "outlook.xml.gz"]);
    let orgs: Vec<&str> = aggregates(&file)
        .iter()
        .map(|r| r.org_name.as_str())
        .collect();
    assert_eq!(orgs, ["Yahoo", "Outlook.com"]);
}

#[test]
fn a_bad_zip_entry_is_reported_and_the_good_one_counts() {
    let file = read("handmade/bad-entry.zip");
    assert_eq!(aggregates(&file).len(), 1);
    assert_eq!(codes(&file), [Code::ReportDecompressFailed]);
    assert_eq!(
        file.problems[0].param("source"),
        "handmade/bad-entry.zip: broken.xml"
    );
}

#[test]
fn broken_files_get_their_own_codes() {
    for (name, code) in [
        ("handmade/truncated.xml.gz", Code::ReportDecompressFailed),
        ("handmade/unclosed-tag.xml", Code::ReportXmlMalformed),
        ("handmade/empty.xml", Code::ReportUnreadable),
        ("handmade/not-a-report.xml", Code::ReportNotAReport),
        ("parsedmarc/invalid-xml.xml", Code::ReportXmlMalformed),
        ("parsedmarc/failure-exim-no-arf.eml", Code::ReportNotAReport),
    ] {
        let file = read(name);
        assert_eq!(codes(&file), [code], "{name}");
        assert!(file.documents.is_empty(), "{name}");
        assert_eq!(file.problems[0].param("source"), name);
    }
    let unclosed = read("handmade/unclosed-tag.xml");
    let span = unclosed.problems[0].span.unwrap();
    let text = std::fs::read_to_string(path("handmade/unclosed-tag.xml")).unwrap();
    // The span points at the end tag that does not match the open <org_name>.
    assert_eq!(span.start, text.find("</report_metadata>").unwrap());
    assert_eq!(unclosed.problems[0].param("offset"), span.start.to_string());
    assert_eq!(
        read("handmade/empty.xml").problems[0].param("reason"),
        "empty"
    );
}

#[test]
fn messy_xml_is_read_leniently() {
    let invalid = read("handmade/invalid-utf8.xml");
    assert!(invalid.is_complete());
    let report = aggregates(&invalid)[0];
    assert_eq!(report.org_name, "\u{fffd}oogle.com");
    assert_eq!(report.records.len(), 5);

    let upper = read("handmade/upper-case-prefixed.xml");
    let report = aggregates(&upper)[0];
    assert_eq!(report.policy.domain, "example.com");
    assert_eq!(report.policy.p.as_deref(), Some("none"));
    assert_eq!(
        (report.policy.adkim.clone(), report.policy.aspf.clone()),
        (None, None)
    );
    let record = &report.records[0];
    assert_eq!(record.disposition, "none");
    assert_eq!(record.dkim_evaluated.as_deref(), Some("pass"));
    assert_eq!(record.spf_evaluated.as_deref(), Some("fail"));
    assert_eq!(record.header_from, "example.com");
    assert_eq!(record.dkim[0].result, "pass");
    assert_eq!(record.spf[0].result, "softfail");

    let two = read("handmade/two-reports-one-file.xml");
    let ids: Vec<&str> = aggregates(&two)
        .iter()
        .map(|r| r.report_id.as_str())
        .collect();
    assert_eq!(ids, ["hm-two-1", "hm-two-2"]);

    let bis = read("handmade/outlook-dmarcbis.xml");
    let report = aggregates(&bis)[0];
    assert_eq!(report.version.as_deref(), Some("1.0"));
    assert_eq!(report.report_id, "hm-outlook-1");
    assert_eq!(report.policy.np.as_deref(), Some("reject"));
    assert_eq!(report.policy.testing.as_deref(), Some("n"));
    assert_eq!(report.policy.pct, None);
    assert_eq!(report.records[1].source_ip, "2001:db8::25");
    assert_eq!(report.records[0].count, 50);
}

#[test]
fn strict_dkim_alignment_is_honoured() {
    // Yahoo's sample: adkim=s and a signature by mail.example.com; SPF aligns.
    let analysis = analyze(&["handmade/yahoo.xml"]);
    let source = &analysis.domains[0].sources[0];
    assert_eq!(
        (source.dkim_pass, source.dkim_aligned, source.spf_aligned),
        (4, 0, 4)
    );
    assert_eq!(analysis.domains[0].groups[0].verdict, Verdict::Aligned);
}

#[test]
fn many_files_merge_and_duplicates_count_once() {
    let analysis = analyze(&[
        "handmade/google.xml",
        "handmade/google.xml.gz",
        "handmade/outlook-dmarcbis.xml",
        "handmade/two-entries.zip",
    ]);
    assert_eq!(analysis.counts.aggregate_reports, 3);
    assert_eq!(analysis.counts.duplicates, 2);
    let domain = &analysis.domains[0];
    // google 165 + outlook 60 + yahoo 4.
    assert_eq!(domain.messages, 229);
    let mailjet = &domain.groups[0];
    assert_eq!((mailjet.name.as_str(), mailjet.messages), ("Mailjet", 40));
    assert_eq!(mailjet.ips.len(), 2);
    // The latest report's policy is the one in force: Outlook's ends last.
    assert_eq!(domain.policy.p.as_deref(), Some("quarantine"));
    let legitimate = analysis
        .findings
        .iter()
        .find(|f| f.code == Code::ReportLegitimateFailing)
        .unwrap();
    assert_eq!(legitimate.severity, postcheck_core::Severity::Error);
}

#[test]
fn tls_reports_as_json_and_gzip() {
    let json = read("handmade/tls-google.json");
    let gzip = read("handmade/tls-google.json.gz");
    assert!(json.is_complete() && gzip.is_complete());
    assert_eq!(json.documents[0].content, gzip.documents[0].content);
    let analysis = analyze(&["handmade/tls-google.json", "parsedmarc/tls-rfc8460.json"]);
    let example = analysis
        .tls
        .iter()
        .find(|t| t.domain == "example.com")
        .unwrap();
    assert_eq!((example.successful, example.failed), (950, 50));
    assert_eq!(example.by_result["certificate-expired"], 40);
    assert_eq!(example.by_mx["mx1.example.com"], 10);
    let company = analysis
        .tls
        .iter()
        .find(|t| t.domain == "company-y.example")
        .unwrap();
    assert_eq!((company.successful, company.failed), (5326, 303));
    assert!(
        analysis
            .findings
            .iter()
            .filter(|f| f.code == Code::ReportTlsFailures)
            .count()
            == 2
    );
}

#[test]
fn failure_reports_are_read_from_the_whole_message() {
    let file = read("handmade/failure-arf.eml");
    let Content::Failure(report) = &file.documents[0].content else {
        panic!("{:?}", file.documents)
    };
    assert_eq!(report.feedback_type, "auth-failure");
    assert_eq!(report.auth_failure.as_deref(), Some("dmarc"));
    assert_eq!(report.source_ip.as_deref(), Some("203.0.113.5"));
    assert_eq!(report.reported_domain.as_deref(), Some("example.com"));
    assert_eq!(report.delivery_result.as_deref(), Some("reject"));
    assert_eq!(
        report.original_from.as_deref(),
        Some("<billing@example.com>")
    );
    assert_eq!(report.original_subject.as_deref(), Some("Earn money"));
    for name in [
        "parsedmarc/failure-linkedin.eml",
        "parsedmarc/failure-netease.eml",
        "parsedmarc/failure-domain-de.eml",
    ] {
        let file = read(name);
        assert!(file.is_complete(), "{name}: {:?}", file.problems);
        assert!(
            matches!(
                file.documents[..],
                [reports::Document {
                    content: Content::Failure(_),
                    ..
                }]
            ),
            "{name}"
        );
    }
}

/// The real receivers' samples: each read completely, with the values it holds.
#[test]
fn real_receivers_samples_are_read() {
    for (name, org, domain, records, messages) in [
        ("parsedmarc/outlook.xml", "Outlook.com", "example.com", 1, 1),
        (
            "parsedmarc/fastmail.xml.gz",
            "FastMail Pty Ltd",
            "indemed.com",
            1,
            1,
        ),
        (
            "parsedmarc/infonacot.xml.zip",
            "XYZ Corporation",
            "example.com",
            1,
            1,
        ),
        (
            "parsedmarc/google-borschow.eml",
            "google.com",
            "borschow.com",
            1,
            1,
        ),
        (
            "parsedmarc/mimecast-weird-gzip.eml",
            "Mimecast",
            "ab.id.au",
            1,
            1,
        ),
        ("parsedmarc/twilight.eml", "google.com", "twlnet.com", 1, 1),
        ("parsedmarc/zoho.xml", "zoho.com", "example.com", 8, 9),
        (
            "parsedmarc/nice-input.xml.zip",
            "google.com",
            "example.com",
            0,
            3047,
        ),
        (
            "parsedmarc/rfc9990-sample.xml",
            "Sample Reporter",
            "example.com",
            0,
            123,
        ),
        (
            "parsedmarc/upper-cased-pass.xml",
            "example.com",
            "example.com",
            1,
            1,
        ),
    ] {
        let file = read(name);
        assert!(file.is_complete(), "{name}: {:?}", file.problems);
        let reports = aggregates(&file);
        let [report] = &reports[..] else {
            panic!("{name}: {} reports", reports.len())
        };
        assert_eq!(report.org_name, org, "{name}");
        assert_eq!(report.policy.domain, domain, "{name}");
        if records > 0 {
            assert_eq!(report.records.len(), records, "{name}");
        }
        let total: u64 = report.records.iter().map(|r| r.count).sum();
        assert_eq!(total, messages, "{name}");
    }
    let tls = read("parsedmarc/tls-google.eml");
    assert!(matches!(tls.documents[0].content, Content::Tls(_)));
}

#[test]
fn a_hundred_thousand_rows_are_read() {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<feedback><report_metadata><org_name>big.example</org_name><report_id>big-1</report_id></report_metadata>\
         <policy_published><domain>example.com</domain><p>quarantine</p></policy_published>\n",
    );
    for row in 0..100_000u32 {
        let ip = format!("10.{}.{}.{}", row >> 16, (row >> 8) & 0xff, row & 0xff);
        let (dkim, result) = if row % 10 == 0 {
            ("mailjet.com", "pass")
        } else {
            ("example.com", "pass")
        };
        let evaluated = if row % 10 == 0 { "fail" } else { "pass" };
        xml.push_str(&format!(
            "<record><row><source_ip>{ip}</source_ip><count>2</count><policy_evaluated><disposition>none</disposition>\
             <dkim>{evaluated}</dkim><spf>fail</spf></policy_evaluated></row><identifiers><header_from>example.com</header_from></identifiers>\
             <auth_results><dkim><domain>{dkim}</domain><result>{result}</result></dkim><spf><domain>example.com</domain><result>softfail</result></spf></auth_results></record>\n"
        ));
    }
    xml.push_str("</feedback>\n");
    let file = read_file(0, "big.xml", xml.as_bytes());
    assert!(file.is_complete());
    assert_eq!(aggregates(&file)[0].records.len(), 100_000);
    let analysis = reports::analyze(&[file]);
    let domain = &analysis.domains[0];
    assert_eq!((domain.messages, domain.dmarc_pass), (200_000, 180_000));
    assert_eq!(domain.sources.len(), 100_000);
    let mailjet = domain.groups.iter().find(|g| g.name == "Mailjet").unwrap();
    assert_eq!(
        (mailjet.messages, mailjet.verdict),
        (20_000, Verdict::LegitimateFailing)
    );
    assert!(!domain.readiness.ready);
}

#[test]
fn a_sender_profiles_vendor_is_recognised_by_name() {
    use postcheck_core::profile::SenderProfile;
    // In the known sample, 203.0.113.9 sends 3 messages with no domain at all ("unidentified",
    // likely spoofing), and Mailjet's mail carries bnc3.mailjet.com. As a vendor's sender
    // profile names them, they are the vendor's: a legitimate sender, failing, to be aligned.
    let file = read("handmade/google.xml");
    let profile = SenderProfile {
        name: "Example Mailer".to_owned(),
        spf: vec!["ip4:203.0.113.8/29".to_owned()],
        ips: Vec::new(),
        dkim_selectors: Vec::new(),
        dkim_cnames: Default::default(),
        return_path: None,
    };
    let analysis = reports::analyze_for(
        std::slice::from_ref(&file),
        Some(&profile),
        &postcheck_core::dns::AnswerCache::new(),
    );
    let groups = &analysis.domains[0].groups;
    let vendor = groups
        .iter()
        .find(|g| g.name == "Example Mailer")
        .expect("the vendor's group");
    assert_eq!(vendor.kind, GroupKind::Provider);
    assert_eq!(vendor.verdict, Verdict::LegitimateFailing);
    assert_eq!(vendor.messages, 3);
    assert!(vendor.ips.contains("203.0.113.9"));
    assert!(!groups.iter().any(|g| g.name == "unidentified"));
    // By its include's domain instead: Mailjet's mail becomes the vendor's.
    let profile = SenderProfile {
        spf: vec!["include:spf.mailjet.com".to_owned()],
        ..profile
    };
    let analysis = reports::analyze_for(
        std::slice::from_ref(&file),
        Some(&profile),
        &postcheck_core::dns::AnswerCache::new(),
    );
    let groups = &analysis.domains[0].groups;
    assert!(
        groups
            .iter()
            .any(|g| g.name == "Example Mailer" && g.messages == 30)
    );
    assert!(!groups.iter().any(|g| g.name == "Mailjet"));
    // Without a profile, the same reading as before.
    let plain = reports::analyze(std::slice::from_ref(&file));
    assert!(
        plain.domains[0]
            .groups
            .iter()
            .any(|g| g.name == "unidentified")
    );
}

#[test]
fn where_online_mail_with_no_domain_is_named_by_its_servers_ptr_record() {
    use postcheck_core::dns::{Answer, AnswerCache, RecordData};
    // In the known sample only 203.0.113.9's mail carries no domain at all.
    let file = read("handmade/google.xml");
    let files = std::slice::from_ref(&file);
    let queries = reports::ptr_queries(files);
    assert_eq!(queries.len(), 1, "{queries:?}");
    assert_eq!(queries[0].name, "9.113.0.203.in-addr.arpa");
    let mut answers = AnswerCache::new();
    answers.insert(
        queries[0].clone(),
        Answer::records(vec![RecordData::Ptr(
            "relay7.forwarder.example.".to_owned(),
        )]),
    );
    let analysis = reports::analyze_for(files, None, &answers);
    let groups = &analysis.domains[0].groups;
    let named = groups
        .iter()
        .find(|g| g.name == "forwarder.example")
        .unwrap_or_else(|| panic!("{groups:#?}"));
    assert_eq!(named.kind, GroupKind::Domain);
    assert_eq!(named.messages, 3);
    assert!(!groups.iter().any(|g| g.name == "unidentified"));
    // A PTR name of a known provider names the provider (a cache keeps its first answer: a
    // new one for each case).
    let mut answers = AnswerCache::new();
    answers.insert(
        queries[0].clone(),
        Answer::records(vec![RecordData::Ptr("o1.email.sendgrid.net".to_owned())]),
    );
    let analysis = reports::analyze_for(files, None, &answers);
    let sendgrid = analysis.domains[0]
        .groups
        .iter()
        .find(|g| g.name == "SendGrid")
        .unwrap();
    assert_eq!(sendgrid.messages, 5 + 3);
    // No name (NXDOMAIN), or no answer at all (offline): unidentified as before.
    let mut answers = AnswerCache::new();
    answers.insert(queries[0].clone(), Answer::Nxdomain);
    let analysis = reports::analyze_for(files, None, &answers);
    assert!(
        analysis.domains[0]
            .groups
            .iter()
            .any(|g| g.name == "unidentified")
    );
}

/// The findings' codes and the readiness' next step of an aggregate report of example.com
/// with policy `p` at `pct`, all of whose 50 messages pass DMARC.
fn next_step(p: &str, pct: &str) -> (Vec<Code>, Option<String>) {
    let xml = format!(
        "<?xml version=\"1.0\"?><feedback><report_metadata><org_name>receiver.example</org_name>\
         <email>dmarc@receiver.example</email><report_id>pct-1</report_id><date_range>\
         <begin>1767225600</begin><end>1767311999</end></date_range></report_metadata>\
         <policy_published><domain>example.com</domain><p>{p}</p><pct>{pct}</pct>\
         </policy_published><record><row><source_ip>192.0.2.10</source_ip><count>50</count>\
         <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf>\
         </policy_evaluated></row><identifiers><header_from>example.com</header_from>\
         </identifiers><auth_results><dkim><domain>example.com</domain><result>pass</result>\
         </dkim><spf><domain>example.com</domain><result>pass</result></spf></auth_results>\
         </record></feedback>"
    );
    let files = [read_file(0, "pct.xml", xml.as_bytes())];
    assert!(files[0].problems.is_empty(), "{:?}", files[0].problems);
    let analysis = reports::analyze(&files);
    let codes = analysis.findings.iter().map(|f| f.code).collect();
    (codes, analysis.domains[0].readiness.next.clone())
}

#[test]
fn an_enforcing_policy_on_part_of_the_mail_takes_all_of_it_first() {
    // RFC 7489 §6.3: pct=25 quarantines a quarter of the failing mail; the step before reject
    // is quarantining all of it.
    let (codes, next) = next_step("quarantine", "25");
    assert_eq!(codes, [Code::ReportReadyForNextStep]);
    assert_eq!(next.as_deref(), Some("quarantine; pct=100"));
    // p=reject at pct=50 is not final yet.
    let (codes, next) = next_step("reject", "50");
    assert_eq!(codes, [Code::ReportReadyForNextStep]);
    assert_eq!(next.as_deref(), Some("reject; pct=100"));
    // At pct=100 (or without pct) the steps are as before; pct means nothing at p=none.
    assert_eq!(
        next_step("reject", "100"),
        (vec![Code::ReportPolicyFinal], None)
    );
    assert_eq!(next_step("quarantine", "100").1.as_deref(), Some("reject"));
    assert_eq!(next_step("none", "10").1.as_deref(), Some("quarantine"));
}
