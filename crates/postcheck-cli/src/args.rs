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
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A domain (example.com), an email address (info@example.com) or a URL.
    pub target: String,

    /// A sending server's IP address to evaluate SPF for (repeatable).
    #[arg(long = "ip", value_name = "ADDR")]
    pub ips: Vec<IpAddr>,

    /// Ask this DNS server directly (UDP, TCP when the answer is truncated), e.g. 127.0.0.1:53.
    #[arg(long, value_name = "IP:PORT", conflicts_with = "doh")]
    pub nameserver: Option<String>,

    /// Ask this DNS-over-HTTPS endpoint (RFC 8484), e.g. https://dns.example/dns-query.
    #[arg(long, value_name = "URL")]
    pub doh: Option<String>,

    /// Print the report as JSON (the report model; field names are stable).
    #[arg(long)]
    pub json: bool,

    /// Language of the messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,

    /// Time to wait for one DNS answer before the single retry, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    De,
    En,
}
