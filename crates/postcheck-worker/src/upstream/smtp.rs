//! The SMTP check's connection (`/api/smtp`) over Cloudflare's TCP sockets (`connect()`,
//! `startTls()`): the core's sans-IO dialogue, without credentials or test mail, to a public
//! host on port 465 or 587 (the gateway checked both), counted as one subrequest and one
//! connection of the invocation. Every step has a time limit.
//!
//! The runtime verifies the certificate itself and ends the connection when it fails, without
//! saying why; it tells neither the TLS version nor the certificate's dates. So a session here
//! reports TLS without a version, and a refused TLS as `smtp-tls-not-accepted`
//! (`postcheck smtp` shows which certificate problem it is).

use super::{AddressLookup, Resolver};
use futures_util::future::{Either, select};
use postcheck_core::smtp::dialogue::{Dialogue, DialogueConfig, SessionReport, TlsInfo};
use postcheck_core::smtp::explain::Observation;
use postcheck_gateway::fetch_target::check_fetch_addresses;
use postcheck_gateway::request::{GatewayError, SmtpTarget};
use std::pin::pin;
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use worker::{Delay, SecureTransport, Socket};

/// The most bytes read at once.
const READ_BUFFER: usize = 4096;

/// What the check saw.
#[derive(Debug)]
pub enum SmtpCheck {
    /// The dialogue ran (or the connection failed): the observations, and the report when a
    /// connection was made.
    Observed {
        observations: Vec<Observation>,
        report: Option<Box<SessionReport>>,
    },
    /// The host's address could not be looked up: could not verify.
    CouldNotVerify { reason: String },
}

/// Within `limit`, or `None`.
async fn within<T>(limit: Duration, future: impl std::future::Future<Output = T>) -> Option<T> {
    match select(pin!(future), pin!(Delay::from(limit))).await {
        Either::Left((value, _)) => Some(value),
        Either::Right(_) => None,
    }
}

impl Resolver<'_> {
    /// Tests `target`, greeting the server as `ehlo_name` (the worker's own host name). The
    /// host's addresses must all be public (or allowed by `FETCH_ALLOW_ADDRESSES`).
    pub async fn smtp_check(
        &self,
        target: &SmtpTarget,
        ehlo_name: &str,
    ) -> Result<SmtpCheck, GatewayError> {
        let addresses = match self.host_addresses(&target.host).await {
            Ok(addresses) => addresses,
            Err(AddressLookup::Failed(reason)) => return Ok(SmtpCheck::CouldNotVerify { reason }),
            Err(AddressLookup::OutOfBudget(_)) => {
                return Err(GatewayError::LimitExceeded {
                    detail: "the subrequest budget ran out before the SMTP check".to_owned(),
                });
            }
        };
        if addresses.is_empty() {
            return Ok(SmtpCheck::Observed {
                observations: vec![Observation::HostNotFound {
                    host: target.host.clone(),
                }],
                report: None,
            });
        }
        check_fetch_addresses(&addresses, &self.config.fetch_allow_addresses).map_err(|_| {
            GatewayError::Forbidden {
                reason: "the SMTP host resolves to an address that is not on the public internet",
            }
        })?;
        if !self.outbound.borrow_mut().reserve() {
            return Err(GatewayError::LimitExceeded {
                detail: "no subrequest left for the SMTP connection".to_owned(),
            });
        }
        {
            let mut outbound = self.outbound.borrow_mut();
            outbound.sent();
            outbound.open();
        }
        // Four DNS answers' time for each step: connect, TLS, each reply.
        let step = Duration::from_millis(u64::from(self.config.timeout_ms) * 4);
        let result = session(target, ehlo_name, step).await;
        self.outbound.borrow_mut().close();
        Ok(result)
    }
}

async fn session(target: &SmtpTarget, ehlo_name: &str, step: Duration) -> SmtpCheck {
    let config = DialogueConfig::new(ehlo_name, target.security);
    let Ok(mut dialogue) = Dialogue::new(config) else {
        return SmtpCheck::CouldNotVerify {
            reason: format!("{ehlo_name:?} is no EHLO name"),
        };
    };
    let connection_failed = |observation| SmtpCheck::Observed {
        observations: vec![observation],
        report: None,
    };
    // Always TCP first, TLS on top with startTls() (at once for implicit TLS): a refused
    // connection and a refused TLS then look different, which they do not with
    // `secureTransport: "on"`.
    let Ok(mut socket) = Socket::builder()
        .secure_transport(SecureTransport::StartTls)
        .connect(target.host.clone(), target.port)
    else {
        return connection_failed(Observation::ConnectRefused { port: target.port });
    };
    match within(step, socket.opened()).await {
        Some(Ok(_)) => {}
        Some(Err(_)) => {
            return connection_failed(Observation::ConnectRefused { port: target.port });
        }
        None => return connection_failed(Observation::ConnectTimeout { port: target.port }),
    }
    let mut buffer = vec![0u8; READ_BUFFER];
    // TLS is confirmed by the first bytes read through it; until then a broken connection is
    // the runtime refusing the server's TLS.
    let mut tls_unconfirmed = false;
    let mut tls_refused = false;
    loop {
        while let Some(bytes) = dialogue.poll_transmit() {
            if within(step, socket.write_all(&bytes))
                .await
                .is_none_or(|r| r.is_err())
            {
                if tls_unconfirmed {
                    tls_refused = true;
                } else {
                    dialogue.closed();
                }
                break;
            }
        }
        while dialogue.poll_event().is_some() {}
        if dialogue.is_done() || tls_refused {
            break;
        }
        if dialogue.wants_tls_handshake() {
            socket = socket.start_tls();
            tls_unconfirmed = true;
            dialogue.tls_established(TlsInfo {
                protocol: "TLS".to_owned(),
                cipher_suite: None,
                // The runtime ends a connection whose certificate does not verify.
                certificate_verified: true,
                certificate_expiry: None,
                chain_problem: None,
            });
            continue;
        }
        let waiting = dialogue.step();
        match within(step, socket.read(&mut buffer)).await {
            Some(Ok(0) | Err(_)) if tls_unconfirmed => tls_refused = true,
            Some(Ok(0) | Err(_)) => dialogue.closed(),
            Some(Ok(read)) => {
                tls_unconfirmed = false;
                dialogue.handle_input(&buffer[..read]);
            }
            None => dialogue.timed_out(waiting),
        }
        if tls_refused {
            break;
        }
    }
    let _ = within(Duration::from_millis(500), socket.close()).await;
    let mut report = dialogue.into_report();
    if !tls_refused {
        let observations = Observation::from_session(&report);
        return SmtpCheck::Observed {
            observations,
            report: Some(Box::new(report)),
        };
    }
    // What was seen before TLS counts; nothing after it happened.
    report.tls = None;
    report.capabilities_with_tls = None;
    report.end = None;
    let mut observations = Observation::from_session(&report);
    observations.retain(|o| !matches!(o, Observation::AuthNotOffered { .. }));
    observations.push(Observation::TlsNotAccepted);
    SmtpCheck::Observed {
        observations,
        report: Some(Box::new(report)),
    }
}
