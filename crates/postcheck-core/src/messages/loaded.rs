//! The finding codes' texts when they are not compiled in (the `texts` feature off): the check
//! page loads them after its first paint (`www/texts.txt`, which [`super::texts_file`] writes
//! from the compiled-in tables and a test keeps current) and hands them to [`install`].
//!
//! The file has one text per line: `code<TAB>wording<TAB>lang<TAB>text`, where the wording is
//! the variant the family's `variant` function names (empty for the usual one) or `#hint` for
//! the code's hint. A line with a code this build does not know is skipped. After the line
//! [`DNS_HOSTS`] follows the table of DNS hosts and their panels (`data/dns-hosts.txt`, as
//! [`crate::publish`] reads it): words for the "where to publish" steps, needed no sooner.

use super::Lang;
use crate::findings::Code;
use std::sync::OnceLock;

/// One text: code, wording, language, template.
type Entry = (Code, &'static str, Lang, &'static str);

static TEXTS: OnceLock<Vec<Entry>> = OnceLock::new();

/// The wording under which a code's hint is filed.
pub(super) const HINT: &str = "#hint";

/// The line that starts the DNS-host table.
pub(super) const DNS_HOSTS: &str = "[dns-hosts]\n";

/// Installs the texts of `file` (the contents of `texts.txt`); the first installation wins.
/// Returns how many texts were read. With the `texts` feature the compiled-in tables answer and
/// installed texts are not read.
pub fn install(file: &'static str) -> usize {
    let (texts, hosts) = match file.find(DNS_HOSTS) {
        Some(at) => (&file[..at], &file[at + DNS_HOSTS.len()..]),
        None => (file, ""),
    };
    crate::publish::install(hosts);
    let entries: Vec<Entry> = texts
        .lines()
        .filter_map(|line| {
            let mut fields = line.splitn(4, '\t');
            let code = Code::parse(fields.next()?)?;
            let variant = fields.next()?;
            let lang = match fields.next()? {
                "de" => Lang::De,
                "en" => Lang::En,
                _ => return None,
            };
            Some((code, variant, lang, fields.next()?))
        })
        .collect();
    let count = entries.len();
    let _ = TEXTS.set(entries);
    count
}

/// Whether the texts are there: compiled in (the `texts` feature), or installed.
pub fn installed() -> bool {
    cfg!(feature = "texts") || TEXTS.get().is_some()
}

/// A code's template in a wording: the usual one where the file holds no other, as the
/// tables' catch-all arms say.
#[cfg_attr(feature = "texts", allow(dead_code))] // the page's build; the tests read the file back
pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    lookup(code, variant, lang).or_else(|| lookup(code, "", lang))
}

/// The text filed under exactly this code, wording and language.
#[cfg_attr(feature = "texts", allow(dead_code))]
pub(super) fn lookup(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    TEXTS
        .get()?
        .iter()
        .find_map(|&(c, v, l, text)| (c == code && v == variant && l == lang).then_some(text))
}
