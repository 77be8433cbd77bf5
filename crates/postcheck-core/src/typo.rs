//! Typo suggestions for a mail domain (a recipient address's, or a checked domain that does not exist): a data table of the mail domains
//! German-speaking customers' recipients use most, compared by an edit distance in which a
//! slip to a neighbouring key (QWERTZ, and the y/z of QWERTY) and two swapped letters cost half
//! an insertion or deletion, and any other substitution one and a half; and top-level domains that do not exist but are a slip away from one
//! (`.con`, `.cmo`, `.dee`, `.de.de`).

/// The mail domains suggestions point to, the most used first (a tie in distance goes to the
/// earlier one). German-speaking users first: GMX, WEB.DE, T-Online and the other German
/// providers, then the international ones.
pub const MAIL_DOMAINS: &[&str] = &[
    "gmx.de",
    "web.de",
    "t-online.de",
    "gmail.com",
    "gmx.net",
    "googlemail.com",
    "outlook.de",
    "outlook.com",
    "hotmail.de",
    "hotmail.com",
    "yahoo.de",
    "yahoo.com",
    "icloud.com",
    "live.de",
    "live.com",
    "freenet.de",
    "gmx.at",
    "gmx.ch",
    "gmx.com",
    "posteo.de",
    "mailbox.org",
    "arcor.de",
    "aol.com",
    "aol.de",
    "bluewin.ch",
    "online.de",
    "email.de",
    "mail.de",
    "magenta.de",
    "vodafone.de",
    "kabelmail.de",
    "me.com",
    "msn.com",
    "protonmail.com",
    "proton.me",
    "outlook.at",
    "hotmail.ch",
    "yahoo.at",
    "a1.net",
    "chello.at",
    "gmx.li",
    "sunrise.ch",
];

/// Top-level labels that are a slip away from `com`, `de`, `net`, `org`, `at` or `ch` and are
/// not top-level domains themselves (IANA root zone, 2026).
const TLD_TYPOS: &[(&str, &str)] = &[
    ("con", "com"),
    ("cmo", "com"),
    ("ocm", "com"),
    ("comm", "com"),
    ("coom", "com"),
    ("cpm", "com"),
    ("vom", "com"),
    ("xom", "com"),
    ("dee", "de"),
    ("ded", "de"),
    ("dde", "de"),
    ("ed", "de"),
    ("nte", "net"),
    ("ner", "net"),
    ("ogr", "org"),
    ("prg", "org"),
    ("orgg", "org"),
];

/// The keyboard rows of QWERTZ, where German speakers type.
const ROWS: [&str; 4] = ["1234567890ß", "qwertzuiopü", "asdfghjklöä", "yxcvbnm"];

/// The most a suggestion may be away, in half edits: one missing or extra letter, or two
/// slips; a domain of six characters or fewer only one slip (two make another word:
/// `aol.fr` is not `aol.de`).
const MAX_DISTANCE: u32 = 2;

/// The domain `domain` (ASCII, lowercase) was probably meant to be, or `None`.
///
/// ```
/// # use postcheck_core::typo::suggest;
/// assert_eq!(suggest("gmial.com").as_deref(), Some("gmail.com"));
/// assert_eq!(suggest("gnx.de").as_deref(), Some("gmx.de"));
/// assert_eq!(suggest("firma.con").as_deref(), Some("firma.com"));
/// assert_eq!(suggest("gmx.de"), None);
/// ```
pub fn suggest(domain: &str) -> Option<String> {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    if MAIL_DOMAINS.contains(&domain.as_str()) {
        return None;
    }
    // A doubled top-level domain: `web.de.de`.
    if let Some(stripped) = domain.strip_suffix(".de.de") {
        return Some(format!("{stripped}.de"));
    }
    let (name, tld) = domain.rsplit_once('.')?;
    if let Some((_, fixed)) = TLD_TYPOS.iter().find(|(typo, _)| *typo == tld) {
        let candidate = format!("{name}.{fixed}");
        return Some(nearest(&candidate).map_or(candidate, str::to_owned));
    }
    nearest(&domain).map(str::to_owned)
}

/// The table's domain nearest to `domain` within [`MAX_DISTANCE`], if any.
fn nearest(domain: &str) -> Option<&'static str> {
    if let Some(&known) = MAIL_DOMAINS.iter().find(|known| **known == domain) {
        return Some(known);
    }
    let mut best: Option<(u32, &'static str)> = None;
    for &known in MAIL_DOMAINS {
        let limit = if known.len() <= 6 { 1 } else { MAX_DISTANCE };
        let distance = weighted_distance(domain, known);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, known));
        }
    }
    best.map(|(_, known)| known)
}

/// Where a key sits: row and column.
fn key_position(c: char) -> Option<(i32, i32)> {
    ROWS.iter().enumerate().find_map(|(row, keys)| {
        keys.chars()
            .position(|k| k == c)
            .map(|column| (row as i32, column as i32))
    })
}

/// Whether two keys are next to each other (same row, or the rows above and below, which are
/// offset by about half a key), or are y and z (QWERTY and QWERTZ swap them).
fn neighbours(a: char, b: char) -> bool {
    if matches!((a, b), ('y', 'z') | ('z', 'y')) {
        return true;
    }
    match (key_position(a), key_position(b)) {
        (Some((ra, ca)), Some((rb, cb))) => match ra - rb {
            0 => (ca - cb).abs() == 1,
            // The row below starts half a key to the right.
            -1 => cb == ca || cb == ca - 1,
            1 => cb == ca || cb == ca + 1,
            _ => false,
        },
        _ => false,
    }
}

/// Damerau–Levenshtein distance (optimal string alignment) in half edits: a neighbouring key
/// or a swap of two adjacent letters costs 1, an insertion or deletion 2, any other
/// substitution 3 (a wrong letter far from the right one is more often another word).
fn weighted_distance(a: &str, b: &str) -> u32 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Domains are short; a length gap beyond the limit cannot come back.
    if a.len().abs_diff(b.len()) > 1 {
        return u32::MAX;
    }
    let mut d = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = 2 * i as u32;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = 2 * j as u32;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = if a[i - 1] == b[j - 1] {
                0
            } else if neighbours(a[i - 1], b[j - 1]) {
                1
            } else {
                3
            };
            let mut best = (d[i - 1][j] + 2)
                .min(d[i][j - 1] + 2)
                .min(d[i - 1][j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_slips_find_their_domain() {
        for (typo, meant) in [
            ("gmial.com", "gmail.com"),
            ("gmai.com", "gmail.com"),
            ("gmaill.com", "gmail.com"),
            ("gnail.com", "gmail.com"),
            ("gmx.dr", "gmx.de"),
            ("gnx.de", "gmx.de"),
            ("gmy.de", "gmx.de"),
            ("wbe.de", "web.de"),
            ("wen.de", "web.de"),
            ("t-onlne.de", "t-online.de"),
            ("tonline.de", "t-online.de"),
            ("t-online.dee", "t-online.de"),
            ("hotmai.de", "hotmail.de"),
            ("outlok.com", "outlook.com"),
            ("yahooo.de", "yahoo.de"),
            ("icloud.con", "icloud.com"),
            ("gmail.cmo", "gmail.com"),
            ("web.de.de", "web.de"),
            ("googlemial.com", "googlemail.com"),
            ("freent.de", "freenet.de"),
            ("posteo.ded", "posteo.de"),
        ] {
            assert_eq!(suggest(typo).as_deref(), Some(meant), "{typo}");
        }
        // A top-level slip on a domain outside the table is fixed where it stands.
        assert_eq!(
            suggest("kita-sonnenschein.con").as_deref(),
            Some("kita-sonnenschein.com")
        );
    }

    #[test]
    fn real_domains_are_left_alone() {
        for domain in MAIL_DOMAINS {
            assert_eq!(suggest(domain), None, "{domain}");
        }
        // Other real domains, some close to the table's: no suggestion.
        for domain in [
            "example.com",
            "kita-sonnenschein.de",
            "gmx.at",
            "gmv.com",
            "web.dk",
            "aol.fr",
            "mail.ru",
            "wmx.de.example",
            "uni-heidelberg.de",
            "live.ca",
        ] {
            assert_eq!(suggest(domain), None, "{domain}");
        }
    }

    #[test]
    fn neighbouring_keys_cost_half() {
        assert!(neighbours('m', 'n'));
        assert!(neighbours('x', 'c'));
        assert!(neighbours('z', 'y'));
        assert!(neighbours('e', 'd'));
        assert!(!neighbours('a', 'p'));
        assert_eq!(weighted_distance("gmx.de", "gnx.de"), 1);
        assert_eq!(weighted_distance("gmail.com", "gmial.com"), 1);
        assert_eq!(weighted_distance("gmx.de", "gmp.de"), 3);
        assert_eq!(weighted_distance("gmail.com", "gmai.com"), 2);
    }
}
