//! The `postcheck` binary: parses arguments and wires the resolver, the core and the output.

mod args;
mod driver;
mod render;
mod resolver;

use args::{Cli, Command, LangArg};
use clap::Parser;
use postcheck_core::input::parse_domain_input;
use postcheck_core::messages::{self, Lang};
use postcheck_core::report::CheckInput;
use resolver::{Resolver, Transport};
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
    }
}

fn check(args: args::CheckArgs) -> ExitCode {
    let lang = match args.lang {
        Some(LangArg::De) => Lang::De,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env_value(environment_language().as_deref()),
    };
    let domain = match parse_domain_input(&args.target) {
        Ok(domain) => domain,
        Err(error) => {
            eprintln!("postcheck: {}", messages::input_error(&error, lang));
            return ExitCode::from(2);
        }
    };
    let resolver = match build_resolver(
        args.nameserver.as_deref(),
        args.doh.as_deref(),
        args.timeout_ms,
    ) {
        Ok(resolver) => resolver,
        Err(error) => {
            eprintln!("postcheck: {error}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("postcheck: {error}");
            return ExitCode::from(2);
        }
    };
    let input = CheckInput {
        domain,
        ips: args.ips,
        timestamp: now(),
    };
    let report = runtime.block_on(driver::run_check(&resolver, input));
    if args.json {
        match serde_json::to_string_pretty(&report.localized(lang)) {
            Ok(json) => println!("{json}"),
            Err(error) => {
                eprintln!("postcheck: {error}");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{}", render::human(&report, lang));
    }
    if report.spf.tree.status == postcheck_core::spf::analyze::NodeStatus::LookupFailed {
        eprintln!(
            "postcheck: {}",
            messages::ui(messages::UiText::CouldNotVerify, lang)
        );
        return ExitCode::from(2);
    }
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The resolver the flags ask for: `--nameserver`, `--doh`, or the system's.
fn build_resolver(
    nameserver: Option<&str>,
    doh: Option<&str>,
    timeout_ms: u64,
) -> anyhow::Result<Resolver> {
    let timeout = Duration::from_millis(timeout_ms.max(1));
    let resolver = match (nameserver, doh) {
        (Some(server), _) => Resolver::new(Transport::Udp(parse_nameserver(server)?), timeout)?,
        (None, Some(url)) => Resolver::new(Transport::Doh(url.to_owned()), timeout)?,
        (None, None) => Resolver::system()?.with_timeout(timeout),
    };
    Ok(resolver)
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
