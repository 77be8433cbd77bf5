//! The `postcheck` binary: parses arguments and wires the resolver, the core and the output.

mod args;
mod batch;
mod bounce;
mod driver;
mod headers;
mod net;
mod pasted;
mod recipients;
mod render;
mod reports;
mod smtp;

use anyhow::Context as _;
use args::{CheckArgs, Cli, Command, LangArg};
use clap::Parser;
use net::fetcher::Fetcher;
use net::resolver::{Resolver, Transport};
use postcheck_core::input::parse_domain_input;
use postcheck_core::messages::{self, Lang};
use postcheck_core::profile::SenderProfile;
use postcheck_core::report::CheckInput;
use postcheck_core::sender::DnsblConfig;
use std::io::{self, Write as _};
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

/// Runs the command; every error ends here as `postcheck: <error>` with exit status 2, except
/// output into a closed pipe (`postcheck … | head -1`), which ends quietly with status 0.
fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("postcheck: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Bounce(args) => {
            let lang = language(args.lang);
            let format = if args.json {
                bounce::Format::Json
            } else if args.csv {
                bounce::Format::Csv
            } else {
                bounce::Format::Human
            };
            bounce::run(&args.files, format, lang)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Headers(args) => {
            let lang = language(args.pasted.lang);
            let resolver = build_resolver(&args.dns)?;
            headers::run(
                args.pasted.file.as_deref(),
                args.pasted.json,
                lang,
                &resolver,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Recipients(args) => {
            let lang = language(args.lang);
            let resolver = build_resolver(&args.dns)?;
            let format = if args.json {
                recipients::Format::Json
            } else if args.csv {
                recipients::Format::Csv
            } else {
                recipients::Format::Table
            };
            recipients::run(
                args.file.as_deref(),
                args.column.as_deref(),
                format,
                lang,
                &resolver,
            )
        }
        Command::Reports(args) => {
            let format = if args.json {
                reports::Format::Json
            } else if args.csv {
                reports::Format::Csv
            } else {
                reports::Format::Human
            };
            let profile = match &args.profile {
                Some(path) => Some(load_profile(path)?),
                None => None,
            };
            let resolver = if args.ptr {
                Some(build_resolver(&args.dns)?)
            } else {
                None
            };
            reports::run(
                &args.files,
                format,
                profile.as_ref(),
                resolver.as_ref(),
                language(args.lang),
            )
        }
        Command::Smtp(args) => {
            let lang = language(args.lang);
            let resolver = build_resolver(&args.dns)?;
            let fetcher = Fetcher::new(Duration::from_millis(args.step_timeout_ms.max(1)))?;
            smtp::run(args, lang, &resolver, &fetcher)
        }
    }
}

/// Whether writing the output failed because its reader has gone (ripgrep's rule: that is
/// no error, the reader has all it wanted).
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// An error shown by its own text only, without the causes `{:#}` would append.
fn plain(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::msg(error.to_string())
}

/// Everything a check needs besides the domain.
#[derive(Debug)]
pub struct Setup {
    pub lang: Lang,
    pub resolver: Resolver,
    pub fetcher: Fetcher,
    /// The input with an empty domain: the same for every domain of a batch.
    pub template: CheckInput,
}

fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let lang = language(args.lang);
    let setup = setup(&args, lang)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(plain)?;
    if let Some(file) = &args.batch {
        return runtime.block_on(batch::run(&setup, file, usize::from(args.concurrency)));
    }
    let target = args.target.as_deref().unwrap_or_default();
    let domain =
        parse_domain_input(target).map_err(|error| plain(messages::input_error(&error, lang)))?;
    let input = CheckInput {
        domain,
        ..setup.template.clone()
    };
    let (report, trace) =
        runtime.block_on(driver::run_check(&setup.resolver, &setup.fetcher, input));
    if args.stats {
        eprintln!(
            "postcheck: {} DNS queries and {} HTTPS fetches in {} rounds",
            trace.queries, trace.fetches, trace.rounds
        );
    }
    let mut out = io::stdout().lock();
    if args.json {
        let json = serde_json::to_string_pretty(&report.localized(lang)).map_err(plain)?;
        writeln!(out, "{json}")?;
    } else {
        if let Some(why) = messages::checked_domain(target, &report.domain, lang) {
            writeln!(out, "{why}")?;
        }
        write!(out, "{}", render::human(&report, lang))?;
    }
    out.flush()?;
    if report.could_not_run() {
        return Err(plain(messages::ui(messages::UiText::CouldNotVerify, lang)));
    }
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The resolver the options name: one server over UDP/TCP, a DoH endpoint, or the system's.
fn build_resolver(dns: &args::DnsArgs) -> anyhow::Result<Resolver> {
    let timeout = Duration::from_millis(dns.timeout_ms.max(1));
    let (nameserver, doh) = (dns.nameserver.as_deref(), dns.doh.as_deref());
    Ok(match (nameserver, doh) {
        (Some(server), _) => Resolver::new(Transport::Udp(parse_nameserver(server)?), timeout)?,
        (None, Some(url)) => Resolver::new(Transport::Doh(url.to_owned()), timeout)?,
        (None, None) => Resolver::system()?.with_timeout(timeout),
    })
}

fn setup(args: &CheckArgs, lang: Lang) -> anyhow::Result<Setup> {
    let resolver = build_resolver(&args.dns)?;
    let timeout = Duration::from_millis(args.dns.timeout_ms.max(1));
    // The policy fetch gets more time than one DNS answer: it is TCP + TLS + HTTP.
    let fetcher = Fetcher::new(timeout.saturating_mul(4))?;
    let profile = match &args.profile {
        Some(path) => Some(load_profile(path)?),
        None => None,
    };
    let mut dnsbl = DnsblConfig::default();
    if let Some(lists) = &args.dnsbl {
        dnsbl.lists = lists
            .iter()
            .map(|l| l.trim().to_ascii_lowercase())
            .filter(|l| !l.is_empty())
            .collect();
    }
    dnsbl.spamhaus_dqs_key = args.spamhaus_dqs_key.clone().filter(|k| !k.is_empty());
    Ok(Setup {
        lang,
        resolver,
        fetcher,
        template: CheckInput {
            domain: String::new(),
            ips: args.ips.clone(),
            dkim_selectors: args.dkim_selectors.clone(),
            profile,
            dnsbl,
            timestamp: now(),
        },
    })
}

/// Reads and validates a sender profile (TOML).
fn load_profile(path: &std::path::Path) -> anyhow::Result<SenderProfile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read profile {}", path.display()))?;
    let profile: SenderProfile = toml::from_str(&text)
        .with_context(|| format!("profile {} is not valid", path.display()))?;
    profile
        .validate()
        .with_context(|| format!("profile {} is not valid", path.display()))?;
    Ok(profile)
}

/// `IP`, `IP:PORT` or `[IPv6]:PORT`; port 53 when none is given.
fn parse_nameserver(text: &str) -> anyhow::Result<SocketAddr> {
    if let Ok(address) = text.parse::<SocketAddr>() {
        return Ok(address);
    }
    match text
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        Ok(ip) => Ok(SocketAddr::new(ip, 53)),
        Err(_) => anyhow::bail!(
            "--nameserver {text:?} is not an address like 192.0.2.53 or 192.0.2.53:5353"
        ),
    }
}

/// The language asked for, else the environment's.
fn language(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::De) => Lang::De,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env_value(environment_language().as_deref()),
    }
}

/// The language the environment asks for (POSIX precedence: LC_ALL, LC_MESSAGES, LANG).
fn environment_language() -> Option<String> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
}

/// Seconds since the epoch, for the `%{t}` macro: the one clock reading, taken here.
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
