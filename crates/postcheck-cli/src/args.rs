//! The command line's shape: subcommands, flags and their help texts.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::IpAddr;

/// Checks a domain's email authentication (SPF) and says what to publish to fix it.
#[derive(Debug, Parser)]
#[command(name = "postcheck", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a domain, an email address or a URL.
    Check(CheckArgs),
    /// Explain a bounce (a delivery status notification or a provider's error text); given
    /// several files, a directory, an mbox or a Maildir, one row per failed recipient.
    Bounce(BulkBounceArgs),
    /// Read message headers (or a whole message): authentication results, DKIM signatures,
    /// alignment and the route with its delays; a whole message's DKIM signatures are verified.
    Headers(HeadersArgs),
    /// Test outgoing-mail (SMTP) settings: connect, encryption, certificate, login and an
    /// optional test mail, each result explained; or show the settings a provider publishes
    /// for an address (--for).
    Smtp(SmtpArgs),
    /// Check a list of recipient addresses: syntax, whether each domain takes mail, typos
    /// (gmial.com → gmail.com) and duplicates. No mailbox is probed over SMTP.
    Recipients(RecipientsArgs),
    /// Read the reports receivers send: DMARC aggregate reports (.xml, .xml.gz, .zip, or the
    /// report mail as .eml), DMARC failure reports and SMTP TLS reports (.json, .json.gz), and
    /// say which senders fail DMARC and whether the domain is ready for its next policy step.
    /// Exit status 3 when a file could not be read (the others still count).
    Reports(ReportsArgs),
}

#[derive(Debug, Args)]
pub struct ReportsArgs {
    /// Report files or directories (read recursively); `-` reads standard input. The format is
    /// told by the content, not the file name.
    #[arg(required = true)]
    pub files: Vec<String>,

    /// Print CSV: one row per policy domain and source IP.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,

    /// A vendor's sender profile (TOML, as for `check`): its mail is recognised by its name.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<std::path::PathBuf>,

    /// Name mail that carries no domain by its server's PTR record: looks up (at most 40) source
    /// IPs with the resolver. Without it nothing is sent anywhere.
    #[arg(long)]
    pub ptr: bool,

    #[command(flatten)]
    pub dns: DnsArgs,

    /// Language of the messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Args)]
pub struct RecipientsArgs {
    /// The list as a file (one address per line, several per line, or a CSV); `-` or nothing
    /// reads standard input.
    pub file: Option<String>,

    /// The CSV column holding the addresses: its number (from 1) or its header.
    #[arg(long, value_name = "N|NAME")]
    pub column: Option<String>,

    /// Print CSV (one row per entry, with its verdict and suggestion).
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub dns: DnsArgs,

    /// Language of the messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// The encryption `postcheck smtp` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SecurityArg {
    /// Plain start, then STARTTLS (RFC 3207; port 587).
    Starttls,
    /// TLS from the first byte (RFC 8314 "implicit TLS"; port 465).
    Tls,
    /// No encryption (the password is never sent without --allow-plaintext-auth).
    None,
}

#[derive(Debug, Args)]
pub struct SmtpArgs {
    /// The outgoing server as set in the program: HOST, HOST:PORT, IP or [IPv6]:PORT. Without
    /// a port: 465 with --security tls, else 587.
    #[arg(required_unless_present = "for_address")]
    pub server: Option<String>,

    /// The encryption (default: tls on port 465, else starttls).
    #[arg(long, value_enum)]
    pub security: Option<SecurityArg>,

    /// The user name to log in with (AUTH PLAIN or LOGIN, only over a verified TLS connection).
    #[arg(long, value_name = "USER", requires = "password_source")]
    pub user: Option<String>,

    /// Read the password from this environment variable (it is never printed or stored).
    #[arg(long, value_name = "VAR", group = "password_source")]
    pub password_env: Option<String>,

    /// Read the password from the first line of standard input.
    #[arg(long, group = "password_source")]
    pub password_stdin: bool,

    /// Send a short text mail to ADDRESS, like a program's test button.
    #[arg(long, value_name = "ADDRESS", requires = "server")]
    pub send_test: Option<String>,

    /// The subject of the test mail.
    #[arg(long, value_name = "TEXT", requires = "send_test")]
    pub subject: Option<String>,

    /// The sender of the test mail (default: the user name, when it is an address).
    #[arg(long, value_name = "ADDRESS", requires = "send_test")]
    pub from: Option<String>,

    /// Show the settings the provider of ADDRESS publishes (SRV records, autoconfig file,
    /// provider table); with a server, next to its test. Without it, a --user that is an
    /// address is looked up for the human output.
    #[arg(long = "for", value_name = "ADDRESS")]
    pub for_address: Option<String>,

    /// Trust the certificate authorities of this PEM file as well as the system's.
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<std::path::PathBuf>,

    /// The name to give in EHLO (default: the connection's own address as a literal).
    #[arg(long, value_name = "NAME")]
    pub ehlo_name: Option<String>,

    /// Send the password even without encryption (for a test server on a private network).
    #[arg(long)]
    pub allow_plaintext_auth: bool,

    /// Time for each step (connect, TLS, each reply), in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub step_timeout_ms: u64,

    /// Also print the conversation with the server (the password is never in it).
    #[arg(long)]
    pub transcript: bool,

    #[command(flatten)]
    pub dns: DnsArgs,

    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,

    /// Language of the messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Args)]
pub struct HeadersArgs {
    #[command(flatten)]
    pub pasted: BounceArgs,

    #[command(flatten)]
    pub dns: DnsArgs,
}

/// The arguments of `bounce`: one pasted bounce, or many.
#[derive(Debug, Args)]
pub struct BulkBounceArgs {
    /// The bounce as a file; `-` or nothing reads standard input. Several files, a directory
    /// (its files, or a Maildir's cur/ and new/) or an mbox give one row per failed recipient.
    pub files: Vec<String>,

    /// Print CSV (bulk: one row per recipient).
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,

    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,

    /// Language of the messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// The arguments of `headers`: what was pasted, and how to show the result.
#[derive(Debug, Args)]
pub struct BounceArgs {
    /// The pasted text as a file; `-` or nothing reads standard input.
    pub file: Option<String>,

    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,

    /// Language of the messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A domain (example.com), an email address (info@example.com) or a URL.
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    pub target: Option<String>,

    /// Check every domain of FILE (one per line; `-` reads standard input) and print one JSON
    /// line per domain. Unusable lines are reported and skipped.
    #[arg(long, value_name = "FILE")]
    pub batch: Option<String>,

    /// How many domains of a batch are checked at the same time.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,

    /// A sending server's IP address to evaluate SPF for (repeatable).
    #[arg(long = "ip", value_name = "ADDR")]
    pub ips: Vec<IpAddr>,

    /// A DKIM selector to check (repeatable); common selectors are tried as well.
    #[arg(long = "dkim-selector", value_name = "S")]
    pub dkim_selectors: Vec<String>,

    /// A vendor's sender profile (TOML, see the README): what the domain must authorize.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<std::path::PathBuf>,

    /// DNS blocklists to check sending IPs against, comma-separated (default: zen.spamhaus.org,
    /// bl.spamcop.net, b.barracudacentral.org, psbl.surriel.com, bl.mailspike.net).
    #[arg(long, value_name = "ZONES", value_delimiter = ',')]
    pub dnsbl: Option<Vec<String>>,

    /// A Spamhaus Data Query Service key: zen is then asked through dq.spamhaus.net.
    #[arg(
        long,
        value_name = "KEY",
        env = "POSTCHECK_SPAMHAUS_DQS_KEY",
        hide_env_values = true
    )]
    pub spamhaus_dqs_key: Option<String>,

    #[command(flatten)]
    pub dns: DnsArgs,

    /// Print the report as JSON (the report model; field names are stable).
    #[arg(long)]
    pub json: bool,

    /// Also print, on standard error, how many DNS queries and fetches the check sent and in how
    /// many rounds (each round waits for the answers of the one before).
    #[arg(long, conflicts_with = "batch")]
    pub stats: bool,

    /// Language of the messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    De,
    En,
}

/// Where DNS questions go: one server, a DoH endpoint, or the system's resolver.
#[derive(Debug, Args)]
pub struct DnsArgs {
    /// Ask this DNS server directly (UDP, TCP when the answer is truncated), e.g. 127.0.0.1:53.
    #[arg(long, value_name = "IP:PORT", conflicts_with = "doh")]
    pub nameserver: Option<String>,

    /// Ask this DNS-over-HTTPS endpoint (RFC 8484), e.g. https://dns.example/dns-query.
    #[arg(long, value_name = "URL")]
    pub doh: Option<String>,

    /// Time to wait for one DNS answer before the single retry, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub timeout_ms: u64,
}
