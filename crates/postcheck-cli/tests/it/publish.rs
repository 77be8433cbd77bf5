//! Where to publish and who acts, against the bed's fixtures (tests/zones/README.md, "Where to
//! publish"): the DNS host named from the NS records, each record in that host's form with the
//! steps, the vendor's own problems as the vendor's, a name that does not exist as one finding
//! with a suggestion, a domain whose name servers fail as one finding, and the domain a web
//! address leads to.

use crate::cli::{Transport, bed_present, check_json, codes, postcheck, transport_args};
use serde_json::Value;

fn action<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["code"] == code)
        .unwrap_or_else(|| panic!("no action {code}: {:#}", report["actions"]))
}

#[test]
fn the_dns_host_is_named_and_each_record_takes_its_form() {
    if !bed_present("the_dns_host_is_named_and_each_record_takes_its_form") {
        return;
    }
    // IONOS: `_dmarc` in the host field, the value as it is, the steps name IONOS's panel.
    let run = check_json("ionos-kunde.test", Transport::Dns, &[]);
    let report = run.json();
    assert_eq!(report["dns_host"]["id"], "ionos", "{}", run.stdout);
    assert_eq!(report["dns_host"]["name"], "IONOS");
    let dmarc = action(&report, "dmarc-none");
    assert_eq!(dmarc["actor"], "dns-host");
    assert_eq!(dmarc["who"], "You: in the DNS settings at IONOS");
    assert_eq!(dmarc["record"]["name"], "_dmarc.ionos-kunde.test");
    let publish = &dmarc["publish"];
    assert_eq!(publish["host"], "_dmarc");
    assert_eq!(publish["type"], "TXT");
    assert_eq!(publish["value"], dmarc["record"]["value"]);
    assert_eq!(publish["replaces"], false);
    let steps: Vec<&str> = publish["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert!(
        steps[0].starts_with("Log in at IONOS and open: \"Domains & SSL\""),
        "{steps:?}"
    );
    assert!(
        steps[1].contains("Add a new record: type TXT, name/host \"_dmarc\""),
        "{steps:?}"
    );
    assert!(
        publish["help"]
            .as_str()
            .unwrap()
            .starts_with("https://www.ionos.de/")
    );

    // Route 53 wants TXT values in double quotes.
    let report = check_json("route53-customer.test", Transport::Dns, &[]).json();
    assert_eq!(report["dns_host"]["id"], "route53");
    let publish = &action(&report, "dmarc-none")["publish"];
    assert_eq!(publish["host"], "_dmarc");
    let value = publish["value"].as_str().unwrap();
    assert!(
        value.starts_with("\"v=DMARC1;") && value.ends_with('"'),
        "{value}"
    );

    // Cloudflare, DMARC at p=none: the step changes the record there is, never adds a second.
    let report = check_json(
        "cloudflare-customer.test",
        Transport::Dns,
        &["--lang", "de"],
    )
    .json();
    assert_eq!(report["dns_host"]["id"], "cloudflare");
    let step = action(&report, "dmarc-policy-none");
    assert_eq!(step["publish"]["replaces"], true);
    assert!(
        step["publish"]["steps"][1]
            .as_str()
            .unwrap()
            .starts_with("Ändern Sie den vorhandenen TXT-Eintrag"),
        "{step:#}"
    );
    assert_eq!(step["who"], "Sie: in den DNS-Einstellungen bei Cloudflare");

    // Name servers of no known host: no host, the generic steps.
    let report = check_json("include-nxdomain.spf.test", Transport::Dns, &[]).json();
    assert!(report["dns_host"].is_null(), "{:#}", report["dns_host"]);
    for action in report["actions"].as_array().unwrap() {
        if let Some(publish) = action.get("publish") {
            assert!(
                publish["steps"][0]
                    .as_str()
                    .unwrap()
                    .starts_with("Log in where")
            );
            assert!(publish.get("help").is_none());
        }
    }
}

#[test]
fn the_vendors_own_servers_are_the_vendors_to_fix() {
    if !bed_present("the_vendors_own_servers_are_the_vendors_to_fix") {
        return;
    }
    // 198.51.100.99 has no PTR record. As the vendor's IP (its sender profile) it is the
    // vendor's to fix; as an IP the customer names it is its operator's.
    let directory = std::env::temp_dir().join(format!("postcheck-actor-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let profile = directory.join("profile.toml");
    std::fs::write(
        &profile,
        "name = \"Example Mailer\"\nspf = [\"include:_spf.provider.test\"]\nips = [\"198.51.100.99\"]\n",
    )
    .unwrap();
    let run = check_json(
        "vendor-customer.test",
        Transport::Dns,
        &["--profile", profile.to_str().unwrap()],
    );
    let report = run.json();
    let ptr = action(&report, "ptr-missing");
    assert_eq!(ptr["actor"], "vendor", "{ptr:#}");
    assert_eq!(
        ptr["who"],
        "Example Mailer: this is not yours to fix. Contact Example Mailer's support."
    );
    // The text says what is wrong, not "ask the operator of the IP address".
    assert!(
        ptr["text"].as_str().unwrap().contains("198.51.100.99"),
        "{ptr:#}"
    );
    let headline = report["headline"].as_str().unwrap();
    assert!(headline.contains("for Example Mailer to fix"), "{headline}");
    assert!(
        headline.contains("before mail from Example Mailer is accepted")
            || headline.starts_with("All good")
            || headline.starts_with("Nothing urgent"),
        "{headline}"
    );

    let report = check_json(
        "vendor-customer.test",
        Transport::Dns,
        &["--ip", "198.51.100.99"],
    )
    .json();
    assert_eq!(action(&report, "ptr-missing")["actor"], "ip-operator");
    std::fs::remove_dir_all(&directory).unwrap();
}

#[test]
fn a_name_that_does_not_exist_is_one_finding_with_a_suggestion() {
    if !bed_present("a_name_that_does_not_exist_is_one_finding_with_a_suggestion") {
        return;
    }
    // The bed's root zone is empty: gmial.com gets an authoritative NXDOMAIN.
    let run = check_json("gmial.com", Transport::Dns, &[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(codes(&report), ["domain-not-found"]);
    assert_eq!(report["findings"][0]["params"]["suggestion"], "gmail.com");
    assert_eq!(report["actions"].as_array().unwrap().len(), 1);
    assert!(report["actions"][0].get("record").is_none());
    // The customer, but not in a program's settings: in what was typed.
    assert_eq!(report["actions"][0]["actor"], "customer");
    assert_eq!(
        report["actions"][0]["who"],
        "You: in how the domain is spelled"
    );
    assert_eq!(report["headline"], "This domain does not exist.");
}

#[test]
fn a_domain_whose_name_servers_fail_is_said_once() {
    if !bed_present("a_domain_whose_name_servers_fail_is_said_once") {
        return;
    }
    let run = check_json("servfail.test", Transport::Dns, &[]);
    let report = run.json();
    assert_eq!(codes(&report), ["domain-lookup-failed"], "{}", run.stdout);
    assert_eq!(report["findings"][0]["params"]["failure"], "SERVFAIL");
    let actions = report["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["actor"], "dns-host");
    assert_eq!(report["headline"], "The domain could not be checked.");
    // "Could not verify" is not a clean result.
    assert_ne!(run.status, 0);
}

#[test]
fn a_web_address_leads_to_its_mail_domain_and_the_output_says_so() {
    if !bed_present("a_web_address_leads_to_its_mail_domain_and_the_output_says_so") {
        return;
    }
    let mut args = vec![
        "check".to_owned(),
        "https://www.vendor-customer.test/kontakt".to_owned(),
    ];
    args.extend(transport_args(Transport::Dns));
    let run = postcheck(&args);
    assert!(
        run.stdout.starts_with(
            "Checked vendor-customer.test, the domain of the web address https://www.vendor-customer.test/kontakt"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("spf-none"), "{}", run.stdout);
}
