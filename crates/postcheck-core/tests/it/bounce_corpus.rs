//! Third-party bounce corpora (tests/bounces/corpus-*): real bounces from many mail systems with
//! the category their source's own label maps to. The score is printed for the tuning share and
//! the held-out share (a hash of the file name decides, see the corpus README) and must stay
//! above the floors below; only the tuning share's failures are shown.

use crate::table::corpus;
use postcheck_core::bounce;

/// One row of a corpus table: file, the expected categories (`a or b`), the source's label,
/// whether the file is held out, and where the table has a column "recipient (…)", the
/// recipients the labeller read (`a or b`).
struct Row {
    file: String,
    expected: Vec<String>,
    label: String,
    held_out: bool,
    recipients: Option<Vec<String>>,
}

/// FNV-1a, 64 bit: the share of a file is fixed by its name alone.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The files of the README's "Disputed labels" section: rows whose label contradicts the text
/// (with the reason there), left out of the score.
fn disputed(table: &str) -> Vec<String> {
    table
        .lines()
        .skip_while(|line| !line.starts_with("## Disputed labels"))
        .skip(1)
        .take_while(|line| !line.starts_with("## "))
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|line| line.split(" |").next())
        .filter(|file| file.ends_with(".eml") || file.ends_with(".txt"))
        .map(str::to_owned)
        .collect()
}

fn rows(folder: &str) -> Vec<Row> {
    let table = std::fs::read_to_string(corpus(folder).join("README.md")).unwrap();
    let disputed = disputed(&table);
    let recipient_column = table
        .lines()
        .find(|line| line.starts_with("| file | expected |"))
        .and_then(|header| {
            header
                .split('|')
                .position(|cell| cell.trim().starts_with("recipient ("))
        });
    table
        .lines()
        .filter(|line| line.starts_with("| `"))
        .filter(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let file = cells[1].trim_matches('`');
            let listed = disputed.iter().any(|d| d == file);
            assert_eq!(
                cells[2] == "disputed",
                listed,
                "{file}: a disputed row must be listed with its reason under \"Disputed labels\", and only those"
            );
            !listed
        })
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let file = cells[1].trim_matches('`').to_owned();
            let held_out = fnv1a(&file).is_multiple_of(3);
            assert_eq!(
                cells[6],
                if held_out { "held-out" } else { "tuning" },
                "{file}: share column disagrees with the hash"
            );
            Row {
                expected: cells[2].split(" or ").map(str::to_owned).collect(),
                label: cells[3].to_owned(),
                file,
                held_out,
                recipients: recipient_column
                    .and_then(|column| cells.get(column))
                    .filter(|cell| !cell.is_empty())
                    .map(|cell| cell.split(" or ").map(str::to_owned).collect()),
            }
        })
        .collect()
}

fn analyze_file(folder: &str, file: &str) -> bounce::Bounce {
    let bytes = std::fs::read(corpus(folder).join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    bounce::analyze_bytes(&bytes)
}

/// What a corpus scored: right and total per share, the recipient right and total (where the
/// table names recipients), and the tuning share's failures (the held-out share's too with
/// `POSTCHECK_SHOW_HELD_OUT=1`: for an audit of a frozen classifier, never for tuning — the
/// corpus README says when that was done).
struct Score {
    shares: [(usize, usize); 2],
    recipients: (usize, usize),
    failures: Vec<String>,
}

fn score(folder: &str) -> Score {
    let mut score = Score {
        shares: [(0, 0); 2],
        recipients: (0, 0),
        failures: Vec::new(),
    };
    for row in rows(folder) {
        let bounce = analyze_file(folder, &row.file);
        let got = bounce.finding.code.as_str();
        let right = row.expected.iter().any(|e| e == got);
        let share = &mut score.shares[usize::from(row.held_out)];
        share.1 += 1;
        if right {
            share.0 += 1;
        } else if !row.held_out || std::env::var_os("POSTCHECK_SHOW_HELD_OUT").is_some() {
            score.failures.push(format!(
                "{}: expected {} ({}), got {got} [{}]",
                row.file,
                row.expected.join(" or "),
                row.label,
                bounce.diagnostic.as_deref().unwrap_or_default()
            ));
        }
        if let Some(recipients) = &row.recipients {
            let got = bounce.recipient.as_deref().unwrap_or_default();
            score.recipients.1 += 1;
            if recipients.iter().any(|r| r.eq_ignore_ascii_case(got)) {
                score.recipients.0 += 1;
            } else if !row.held_out || std::env::var_os("POSTCHECK_SHOW_HELD_OUT").is_some() {
                score.failures.push(format!(
                    "{}: recipient {}, got {got:?}",
                    row.file,
                    recipients.join(" or ")
                ));
            }
        }
    }
    score
}

fn percent((right, total): (usize, usize)) -> f64 {
    right as f64 * 100.0 / total.max(1) as f64
}

/// Scores `folder`'s shares, prints them (and the tuning share's failures), and fails below
/// the floors; where the table names recipients, fewer than [`RECIPIENT_FLOOR`] of them right
/// fails too.
fn assert_scores(folder: &str, tuning_floor: f64, held_out_floor: f64) {
    let Score {
        shares: [tuning, held_out],
        recipients,
        failures,
    } = score(folder);
    println!(
        "{folder}: tuning {}/{} ({:.1}%), held-out {}/{} ({:.1}%){}",
        tuning.0,
        tuning.1,
        percent(tuning),
        held_out.0,
        held_out.1,
        percent(held_out),
        match recipients.1 {
            0 => String::new(),
            _ => format!(", recipient {}/{}", recipients.0, recipients.1),
        }
    );
    for failure in &failures {
        println!("  {failure}");
    }
    assert!(
        percent(tuning) >= tuning_floor,
        "{folder}: tuning share below {tuning_floor}%"
    );
    assert!(
        percent(held_out) >= held_out_floor,
        "{folder}: held-out share below {held_out_floor}%"
    );
    assert!(
        recipients.1 == 0 || percent(recipients) >= RECIPIENT_FLOOR,
        "{folder}: recipient right below {RECIPIENT_FLOOR}%"
    );
}

/// The share of recipients that must match the labeller's, where a table names them.
const RECIPIENT_FLOOR: f64 = 95.0;

#[test]
fn the_sisimai_corpus_is_classified_as_its_labels_say() {
    let folder = "bounces/corpus-sisimai";
    assert!(rows(folder).len() >= 300, "corpus too small");
    // Floors set from the measured scores, a little below them (issue 13, fourth round:
    // tuning 327/332 98.5%, held-out 151/171 88.3%). Since the fourth round the held-out
    // share is tuning material too (its first score was reported before it was looked at).
    assert_scores(folder, 98.0, 87.0);
}

#[test]
fn the_bounceparser_corpus_is_classified_as_its_labels_say() {
    let folder = "bounces/corpus-rjbs";
    assert!(rows(folder).len() >= 95, "corpus too small");
    // Added unseen: the first score, before any file was looked at, was 95/102 (93.1%); the
    // held-out share stayed unseen until the fourth round (34/36, 94.4%), which looked at it:
    // 35/36 since. Floors a little below.
    assert_scores(folder, 98.0, 92.0);
}

#[test]
fn the_crisp_corpus_is_classified_as_its_labels_say() {
    let folder = "bounces/corpus-crisp";
    assert!(rows(folder).len() >= 95, "corpus too small");
    // Added unseen: the first score, before any file was looked at, was 85/98 (86.7%), the
    // held-out share 29/35 (82.9%). After general rules from the tuning share's failures:
    // tuning 60/62 (one disputed row), held-out 29/35; after the fourth round, which looked at
    // the held-out share too, tuning 61/62, held-out 30/33 (two more disputed rows); 31/33
    // since round seven's rule that "relay" inside a host name is no relay refusal. Floors a
    // little below.
    assert_scores(folder, 95.0, 90.0);
}

#[test]
fn the_cws_corpus_is_classified_as_its_labels_say() {
    let folder = "bounces/corpus-cws";
    assert!(rows(folder).len() >= 35, "corpus too small");
    // Added unseen in round four: the first score, before any file was looked at, was 33/41
    // (80.5%), tuning 27/32, held-out 6/9. After two general rules from the tuning share's
    // failures and three disputed rows: tuning 29/29, held-out 6/9 (not looked at). Round
    // seven audited the held-out share after a last unseen 6/9: three more disputed rows, 6/6
    // since. Floors a little below.
    assert_scores(folder, 95.0, 95.0);
}

#[test]
fn the_flanker_corpus_is_classified_as_its_labels_say() {
    let folder = "bounces/corpus-flanker";
    assert!(rows(folder).len() >= 7, "corpus too small");
    // Added unseen in round four: the first score, before any file was looked at, was 7/8,
    // tuning 5/6, held-out 2/2; the tuning share's one failure is a disputed row (5/5 since).
    // Floors a little below.
    assert_scores(folder, 95.0, 95.0);
}

#[test]
fn the_mailbouncedetector_corpus_is_classified_as_its_labels_say() {
    let folder = "bounces/corpus-rgl";
    assert!(rows(folder).len() >= 3, "corpus too small");
    // Added unseen in round four: the first score, before any file was looked at, was 3/4,
    // tuning 2/3, held-out 1/1; the tuning share's one failure is a disputed row (2/2 since).
    // Floors a little below.
    assert_scores(folder, 95.0, 95.0);
}

#[test]
fn the_later_sisimai_corpus_is_classified_as_its_labels_say() {
    let folder = "bounces/corpus-sisimai-2025";
    assert!(rows(folder).len() >= 30, "corpus too small");
    // Added unseen in round five: the first score, before any file was looked at, was 26/36
    // (72.2%), tuning 17/21, held-out 9/15. Three of the tuning share's four failures are one
    // disputed reply (17/18 since). Round seven audited the held-out share after a last unseen
    // 9/15: one disputed row, two general rules, 10/14 since. Floors a little below.
    assert_scores(folder, 90.0, 70.0);
}

#[test]
fn the_mailman_corpus_is_classified_as_sisimai_reads_it() {
    let folder = "bounces/corpus-flufl";
    assert!(rows(folder).len() >= 50, "corpus too small");
    // Added unseen in round six, labelled by Sisimai 4.25.15: the first score, taken with the
    // classifier of commit 1633092 before any file was looked at, was 51/56 (91.1%), tuning
    // 34/37, held-out 17/19. After four general rules from the tuning share's failures: tuning
    // 37/37, held-out 17/19 (not looked at). Floors a little below.
    assert_scores(folder, 97.0, 88.0);
}

#[test]
fn the_sisimai_test_mailbox_is_classified_as_sisimai_reads_it() {
    let folder = "bounces/corpus-sisimai-err";
    assert!(rows(folder).len() >= 15, "corpus too small");
    // Added unseen in round six, labelled by Sisimai 4.25.15: the first score, taken with the
    // classifier of commit 1633092 before any file was looked at, was 17/18 (94.4%), tuning
    // 12/13, held-out 5/5. The tuning share's one failure names no cause (its README); no rule
    // came of it. Floors a little below.
    assert_scores(folder, 90.0, 95.0);
}

#[test]
fn the_assorted_fixtures_are_classified_as_sisimai_reads_them() {
    let folder = "bounces/corpus-assorted";
    assert!(rows(folder).len() >= 55, "corpus too small");
    // Added unseen in round six, labelled by Sisimai 4.25.15: the first score, taken with the
    // classifier of commit be4766c before any file was looked at, was 55/61 (90.2%), tuning
    // 40/45, held-out 15/16. After two general rules from the tuning share's failures and two
    // disputed rows: tuning 42/43, held-out 15/16 (not looked at). Floors a little below.
    assert_scores(folder, 95.0, 93.0);
}

#[test]
fn other_parsers_fixtures_are_classified_as_sisimai_reads_them() {
    let folder = "bounces/corpus-parsers";
    assert!(rows(folder).len() >= 25, "corpus too small");
    // Added unseen in round six, labelled by Sisimai 4.25.15: the first score, taken with the
    // classifier of commit f7201b5 before any file was looked at, was 25/28 (89.3%), tuning
    // 18/19, held-out 7/9; recipients 28/28. After one general rule from the tuning share's
    // failure: tuning 19/19, held-out 7/9 (not looked at). Floors a little below.
    assert_scores(folder, 97.0, 77.0);
}

#[test]
fn applications_bounces_are_classified_as_sisimai_reads_them() {
    let folder = "bounces/corpus-apps";
    assert!(rows(folder).len() >= 30, "corpus too small");
    // Added unseen in round seven, labelled by Sisimai 4.25.15: the first score, taken with the
    // classifier of commit c4c193a before any file was looked at, was 28/31 (90.3%), tuning
    // 19/20, held-out 9/11; recipients 31/31. The tuning share's failure is a disputed label
    // (its README): tuning 19/19, held-out 9/11 (not looked at). Floors a little below.
    assert_scores(folder, 97.0, 80.0);
}

#[test]
fn inboxes_bounces_are_classified_as_sisimai_reads_them() {
    let folder = "bounces/corpus-inboxes";
    assert!(rows(folder).len() >= 14, "corpus too small");
    // Added unseen in round eight, labelled by Sisimai 4.25.15: the first score, taken with the
    // classifier of commit bf8f52c before any file was looked at, was 14/16 (87.5%), tuning
    // 6/8, held-out 8/8; recipients 15/16. The tuning share's failures are disputed labels (its
    // README); a rule for quoted forwards came of one: tuning 6/6, held-out 8/8 (not looked
    // at), recipients 14/14 without the disputed rows. Floors a little below.
    assert_scores(folder, 97.0, 95.0);
}

#[test]
fn line_endings_do_not_change_the_result() {
    let folder = "bounces/corpus-sisimai";
    let mut compared = 0;
    for ending in ["cr", "crlf"] {
        for entry in std::fs::read_dir(corpus(folder).join(ending)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let lf = analyze_file(folder, &name);
            let other = analyze_file(folder, &format!("{ending}/{name}"));
            assert_eq!(
                (lf.category, lf.status, lf.reply_code, &lf.recipient),
                (
                    other.category,
                    other.status,
                    other.reply_code,
                    &other.recipient
                ),
                "{ending}/{name}"
            );
            compared += 1;
        }
    }
    assert!(compared >= 100, "only {compared} line-ending variants");
}
