//! `postcheck recipients` against the bed's DNS (`tests/zones/recipients.test.zone`): every
//! verdict of a domain (MX, null MX, implicit MX, none, NXDOMAIN, SERVFAIL), syntax errors,
//! typos and duplicates, each distinct domain asked once; table, CSV and JSON.

use crate::cli::{Run, Transport, bed_present, postcheck, transport_args};

const LIST: &str = "\
max@mx.recipients.test
Anna Beispiel <anna@nullmx.recipients.test>; bob@implicit.recipients.test
mailto:carla@nomail.recipients.test
dora@nosuch.recipients.test
eva@host.servfail.test
MAX@MX.recipients.test
frank@gmial.com
kein-at-zeichen.de
gustav@[192.0.2.1]
";

fn list_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!(
        "postcheck-recipients-{}-{name}",
        std::process::id()
    ));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn run(file: &str, extra: &[&str]) -> Run {
    let mut args = vec!["recipients".to_owned(), file.to_owned()];
    args.extend(transport_args(Transport::Dns));
    args.extend(["--timeout-ms".to_owned(), "500".to_owned()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    postcheck(&args)
}

#[test]
fn every_verdict_of_a_recipient_list() {
    if !bed_present("every_verdict_of_a_recipient_list") {
        return;
    }
    let file = list_file("all", LIST);
    let run = run(&file, &["--json", "--lang", "en"]);
    assert_eq!(
        run.status, 1,
        "an address that cannot receive mail exits 1: {}",
        run.stderr
    );
    let json = run.json();
    let rows = json["rows"].as_array().unwrap();
    let verdicts: Vec<(u64, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["findings"][0]["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            (1, "recipient-ok"),
            (2, "recipient-null-mx"),
            (2, "recipient-implicit-mx"),
            (3, "recipient-no-mail-host"),
            (4, "recipient-domain-missing"),
            (5, "recipient-lookup-failed"),
            (6, "recipient-duplicate"),
            (7, "recipient-domain-missing"),
            (8, "recipient-syntax"),
            (9, "recipient-address-literal"),
        ]
    );
    // The typo: a suggestion in the row and a finding that names the address meant.
    let typo = &rows[7];
    assert_eq!(typo["suggestion"], "gmail.com");
    let findings = typo["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["code"] == "recipient-domain-typo"
        && f["params"]["address"] == "frank@gmail.com"
        && f["message"].as_str().unwrap().contains("frank@gmail.com")));
    assert_eq!(rows[7]["address"]["local"], "frank");
    assert_eq!(rows[8]["findings"][0]["params"]["reason"], "no-at");
    assert_eq!(json["summary"]["recipient-domain-missing"], 2);

    // Each distinct domain was asked once for its MX: three addresses of mx.recipients.test
    // (two of them duplicates), one query.
    let log = std::fs::read_to_string(std::env::var("POSTCHECK_TEST_QUERY_LOG").unwrap()).unwrap();
    let asked = log
        .lines()
        .filter(|line| line.contains(" for mx.recipients.test. MX "))
        .count();
    assert_eq!(asked, 1, "{log}");
}

#[test]
fn csv_in_and_out_and_a_german_table() {
    if !bed_present("csv_in_and_out_and_a_german_table") {
        return;
    }
    let csv =
        "Name;E-Mail;Ort\n\"Beispiel, Anna\";anna@mx2.recipients.test;Köln\nBob;bob@gmx.dr;Bonn\n";
    let file = list_file("csv", csv);
    let run = run(&file, &["--column", "E-Mail", "--csv", "--lang", "en"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "line,input,address,code,severity,suggestion,message"
    );
    assert!(
        lines[1]
            .starts_with("2,anna@mx2.recipients.test,anna@mx2.recipients.test,recipient-ok,ok,,"),
        "{}",
        run.stdout
    );
    assert!(
        lines[2].starts_with("3,bob@gmx.dr,bob@gmx.dr,recipient-domain-missing,error,gmx.de,"),
        "{}",
        run.stdout
    );
    let run = run_by_index(&file);
    assert!(run.stdout.contains("Zusammenfassung"), "{}", run.stdout);
    assert!(
        run.stdout.contains("bob@gmx.de"),
        "the German table names the meant address: {}",
        run.stdout
    );
    let missing = crate::cli::postcheck(&[
        "recipients".to_owned(),
        file.clone(),
        "--column".to_owned(),
        "Mail".to_owned(),
    ]);
    assert_eq!(missing.status, 2);
    assert!(
        missing.stderr.contains("Name, E-Mail, Ort"),
        "{}",
        missing.stderr
    );
}

fn run_by_index(file: &str) -> Run {
    run(file, &["--column", "2", "--lang", "de"])
}
