//! `docs/FINDINGS.md` is the catalog the code generates (`postcheck_core::catalog`): stale, this
//! test fails; `POSTCHECK_WRITE_CATALOG=1` rewrites it.

use postcheck_core::catalog;
use postcheck_core::findings::{Code, Family};

#[test]
fn the_catalog_in_docs_is_the_one_the_code_generates() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/FINDINGS.md");
    let generated = catalog::markdown();
    if std::env::var_os("POSTCHECK_WRITE_CATALOG").is_some() {
        std::fs::write(path, &generated).expect("write docs/FINDINGS.md");
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/FINDINGS.md is stale: run `POSTCHECK_WRITE_CATALOG=1 cargo test -p postcheck-core \
         --test it catalog` and commit it"
    );
    for code in Code::ALL {
        assert!(
            generated.contains(&format!("| `{}` |", code.as_str())),
            "{code:?} missing from the catalog"
        );
        assert!(
            !code.description().is_empty(),
            "{code:?} has no description"
        );
    }
}

#[test]
fn every_family_holds_codes_of_its_own_prefix() {
    // The family is data in the table; the code strings keep their readable prefixes.
    for code in Code::ALL {
        let prefixes: &[&str] = match code.family() {
            Family::Domain => &["domain-"],
            Family::Spf => &["spf-"],
            Family::Dmarc => &["dmarc-"],
            Family::Dkim => &["dkim-"],
            Family::Mx => &["mx-"],
            Family::Sender => &["ptr-", "dnsbl-"],
            Family::MtaSts => &["mta-sts-"],
            Family::TlsRpt => &["tlsrpt-"],
            Family::Bimi => &["bimi-"],
            Family::Dnssec => &["dnssec-"],
            Family::Headers => &["authres-"],
            Family::Bounce => &["bounce-"],
            Family::Profile => &["profile-"],
            Family::Smtp => &["smtp-"],
            Family::Recipient => &["recipient-"],
            Family::Report => &["report-"],
        };
        assert!(
            prefixes.iter().any(|p| code.as_str().starts_with(p)),
            "{} in {:?}",
            code.as_str(),
            code.family()
        );
    }
}
