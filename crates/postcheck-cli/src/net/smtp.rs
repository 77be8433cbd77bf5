//! The SMTP check's network: the TCP connection, the TLS handshake (rustls) and the reads and
//! writes of the core's sans-IO [`Dialogue`]. Every step has a time limit. What only this
//! driver sees (the connect, the certificate's problems, a TLS failure the core cannot read)
//! becomes [`Observation`]s next to the dialogue's own.
//!
//! The certificate is checked as a mail program checks it (the system's roots, or a CA file),
//! but a failed check does not stop the handshake: the check goes on to show what the server
//! offers, and the dialogue sends no password over such a connection
//! (`AuthSkipped::UnverifiedCertificate`).

use postcheck_core::smtp::certificate::not_after;
use postcheck_core::smtp::dialogue::{
    Dialogue, DialogueConfig, SessionEnd, SessionReport, Step, TlsInfo,
};
use postcheck_core::smtp::explain::Observation;
use postcheck_core::smtp::settings::Security;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

/// The most bytes read at once.
const READ_BUFFER: usize = 8192;

/// What the check connects to.
#[derive(Debug, Clone)]
pub struct Target {
    /// The host name (or IP literal) as set: the name the certificate must be valid for.
    pub host: String,
    /// The port.
    pub port: u16,
}

/// What happened, for the core to explain.
#[derive(Debug)]
pub struct Outcome {
    /// The address the connection went to, if one answered.
    pub address: Option<SocketAddr>,
    /// The driver's observations and the dialogue's, in order.
    pub observations: Vec<Observation>,
    /// The dialogue's report, when a connection was made.
    pub report: Option<SessionReport>,
}

/// The trust anchors: the system's roots plus those of a CA file.
#[derive(Debug, Clone)]
pub struct Trust {
    roots: Arc<RootCertStore>,
}

impl Trust {
    /// The system's roots (`SSL_CERT_FILE` and `SSL_CERT_DIR` are honoured) and, if given, a
    /// PEM file's certificates.
    pub fn new(ca_file: Option<&std::path::Path>) -> anyhow::Result<Trust> {
        let mut roots = RootCertStore::empty();
        let native = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(native.certs);
        if let Some(path) = ca_file {
            use rustls::pki_types::pem::PemObject as _;
            let certificates = CertificateDer::pem_file_iter(path)
                .and_then(|iter| iter.collect::<Result<Vec<_>, _>>())
                .map_err(|error| anyhow::anyhow!("--ca-file {}: {error}", path.display()))?;
            let (added, _) = roots.add_parsable_certificates(certificates);
            if added == 0 {
                anyhow::bail!("--ca-file {}: no certificate in it", path.display());
            }
        }
        Ok(Trust {
            roots: Arc::new(roots),
        })
    }
}

/// Connects to the first of `addresses` that answers and runs the dialogue over it.
pub async fn run(
    target: &Target,
    addresses: &[IpAddr],
    mut config: DialogueConfig,
    ehlo_name_given: bool,
    trust: &Trust,
    step_timeout: Duration,
) -> anyhow::Result<Outcome> {
    let mut observations = Vec::new();
    let Some(tcp) = connect(target.port, addresses, step_timeout, &mut observations).await else {
        return Ok(Outcome {
            address: None,
            observations,
            report: None,
        });
    };
    let address = tcp.peer_addr().ok();
    if !ehlo_name_given {
        config.ehlo_name = tcp
            .local_addr()
            .map_or_else(|_| "[127.0.0.1]".to_owned(), |a| address_literal(a.ip()));
    }
    let security = config.security;
    let mut dialogue = Dialogue::new(config).map_err(crate::plain)?;
    let mut connection = Connection::Plain(tcp);
    let mut tls_observations = Vec::new();
    let mut buffer = vec![0u8; READ_BUFFER];
    loop {
        while let Some(bytes) = dialogue.poll_transmit() {
            if !matches!(
                timeout(step_timeout, connection.write_all(&bytes)).await,
                Ok(Ok(()))
            ) {
                dialogue.closed();
                break;
            }
        }
        while dialogue.poll_event().is_some() {}
        if dialogue.is_done() {
            break;
        }
        if dialogue.wants_tls_handshake() {
            let Connection::Plain(tcp) = std::mem::replace(&mut connection, Connection::Gone)
            else {
                dialogue.tls_failed("TLS requested twice");
                continue;
            };
            let first =
                dialogue.step() == Step::TlsHandshake && dialogue.report().greeting.is_none();
            match handshake(target, tcp, trust, step_timeout).await {
                Handshake::Done(stream, info, problems) => {
                    tls_observations.extend(problems);
                    dialogue.tls_established(info);
                    connection = Connection::Tls(stream);
                }
                Handshake::Failed(error) => {
                    if first && security == Security::Tls && is_plaintext_reply(&error) {
                        tls_observations.push(Observation::TlsOnStartTlsPort);
                    }
                    dialogue.tls_failed(error.to_string());
                }
                Handshake::TimedOut => dialogue.timed_out(Step::TlsHandshake),
            }
            continue;
        }
        let step = dialogue.step();
        match timeout(step_timeout, connection.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => dialogue.closed(),
            Ok(Ok(read)) => dialogue.handle_input(&buffer[..read]),
            Err(_) => dialogue.timed_out(step),
        }
    }
    let _ = timeout(Duration::from_millis(500), connection.shutdown()).await;
    let report = dialogue.into_report();
    if security != Security::Tls
        && report.greeting.is_none()
        && matches!(report.end, Some(SessionEnd::TimedOut { .. }))
        && let Some(address) = address
        && speaks_tls(target, address, trust, step_timeout).await
    {
        // A server silent to plain SMTP that completes a TLS handshake is an implicit-TLS
        // port (RFC 8314 §3.3), whatever its number.
        tls_observations.push(Observation::PlaintextOnTlsPort);
    }
    let mut from_session = Observation::from_session(&report);
    if tls_observations.contains(&Observation::PlaintextOnTlsPort) {
        from_session.retain(|o| !matches!(o, Observation::GreetingTimeout));
    }
    if tls_observations.contains(&Observation::TlsOnStartTlsPort) {
        // The driver read the failure better than its words say.
        from_session.retain(|o| !matches!(o, Observation::TlsHandshakeFailed { .. }));
    }
    // The certificate's problems follow the TLS session they belong to.
    let at = from_session
        .iter()
        .position(|o| matches!(o, Observation::TlsEstablished { .. }))
        .map_or(from_session.len(), |i| i + 1);
    from_session.splice(at..at, tls_observations);
    observations.extend(from_session);
    Ok(Outcome {
        address,
        observations,
        report: Some(report),
    })
}

/// Whether the server at `address` completes a TLS handshake on a fresh connection.
async fn speaks_tls(
    target: &Target,
    address: SocketAddr,
    trust: &Trust,
    step_timeout: Duration,
) -> bool {
    let Ok(Ok(tcp)) = timeout(step_timeout, TcpStream::connect(address)).await else {
        return false;
    };
    matches!(
        handshake(target, tcp, trust, step_timeout).await,
        Handshake::Done(..)
    )
}

/// RFC 5321 §4.1.3: `[192.0.2.1]`, `[IPv6:2001:db8::1]`.
fn address_literal(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("[{v4}]"),
        IpAddr::V6(v6) => format!("[IPv6:{v6}]"),
    }
}

/// The first address that accepts the connection; otherwise the observation of why none did:
/// refused when every address refused, a timeout when any stayed silent or unreachable.
async fn connect(
    port: u16,
    addresses: &[IpAddr],
    step_timeout: Duration,
    observations: &mut Vec<Observation>,
) -> Option<TcpStream> {
    let mut all_refused = !addresses.is_empty();
    for &ip in addresses {
        match timeout(step_timeout, TcpStream::connect((ip, port))).await {
            Ok(Ok(stream)) => return Some(stream),
            Ok(Err(error)) if error.kind() == io::ErrorKind::ConnectionRefused => {}
            Ok(Err(_)) | Err(_) => all_refused = false,
        }
    }
    observations.push(if all_refused {
        Observation::ConnectRefused { port }
    } else {
        Observation::ConnectTimeout { port }
    });
    None
}

/// The connection, before and after TLS.
enum Connection {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
    /// Between taking the TCP stream for the handshake and getting the TLS stream back.
    Gone,
}

impl Connection {
    async fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Connection::Plain(stream) => stream.write_all(bytes).await,
            Connection::Tls(stream) => {
                stream.write_all(bytes).await?;
                stream.flush().await
            }
            Connection::Gone => Err(io::ErrorKind::NotConnected.into()),
        }
    }

    async fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        match self {
            Connection::Plain(stream) => stream.read(buffer).await,
            Connection::Tls(stream) => stream.read(buffer).await,
            Connection::Gone => Err(io::ErrorKind::NotConnected.into()),
        }
    }

    async fn shutdown(&mut self) -> io::Result<()> {
        match self {
            Connection::Plain(stream) => stream.shutdown().await,
            Connection::Tls(stream) => stream.shutdown().await,
            Connection::Gone => Ok(()),
        }
    }
}

enum Handshake {
    Done(Box<TlsStream<TcpStream>>, TlsInfo, Vec<Observation>),
    Failed(rustls::Error),
    TimedOut,
}

async fn handshake(
    target: &Target,
    tcp: TcpStream,
    trust: &Trust,
    step_timeout: Duration,
) -> Handshake {
    let server_name = match target.host.parse::<IpAddr>() {
        Ok(ip) => ServerName::IpAddress(ip.into()),
        Err(_) => match ServerName::try_from(target.host.clone()) {
            Ok(name) => name,
            Err(error) => return Handshake::Failed(rustls::Error::General(error.to_string())),
        },
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let inner =
        match WebPkiServerVerifier::builder_with_provider(trust.roots.clone(), provider.clone())
            .build()
        {
            Ok(verifier) => verifier,
            Err(error) => return Handshake::Failed(rustls::Error::General(error.to_string())),
        };
    let verifier = Arc::new(Recording {
        inner,
        seen: Mutex::new(None),
    });
    let config =
        match ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions() {
            Ok(builder) => builder
                .dangerous()
                .with_custom_certificate_verifier(verifier.clone())
                .with_no_client_auth(),
            Err(error) => return Handshake::Failed(error),
        };
    let connector = TlsConnector::from(Arc::new(config));
    let stream = match timeout(step_timeout, connector.connect(server_name, tcp)).await {
        Err(_) => return Handshake::TimedOut,
        Ok(Err(error)) => {
            let error = error
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                .cloned()
                .unwrap_or_else(|| rustls::Error::General(error.to_string()));
            return Handshake::Failed(error);
        }
        Ok(Ok(stream)) => stream,
    };
    let (_, session) = stream.get_ref();
    let protocol = match session.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_owned(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_owned(),
        Some(other) => format!("{other:?}"),
        None => "TLS".to_owned(),
    };
    let cipher_suite = session
        .negotiated_cipher_suite()
        .map(|suite| format!("{:?}", suite.suite()));
    let seen = verifier
        .seen
        .lock()
        .map(|mut s| s.take())
        .unwrap_or_default();
    let (end_entity, result) = seen.unwrap_or((None, Err(rustls::Error::NoCertificatesPresented)));
    let expiry = end_entity.as_deref().and_then(not_after);
    let problems = match &result {
        Ok(()) => Vec::new(),
        Err(error) => vec![certificate_problem(error, &target.host, expiry.clone())],
    };
    let info = TlsInfo {
        protocol,
        cipher_suite,
        certificate_verified: result.is_ok(),
        certificate_expiry: expiry,
        chain_problem: result.err().map(|e| e.to_string()),
    };
    Handshake::Done(Box::new(stream), info, problems)
}

/// What a failed certificate check means for the customer.
fn certificate_problem(error: &rustls::Error, host: &str, expiry: Option<String>) -> Observation {
    match error {
        rustls::Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. },
        ) => Observation::CertificateExpired {
            not_after: expiry.unwrap_or_default(),
        },
        rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
            presented,
            ..
        }) => Observation::CertificateNameMismatch {
            host: host.to_owned(),
            names: presented.iter().map(|name| presented_name(name)).collect(),
        },
        rustls::Error::InvalidCertificate(CertificateError::NotValidForName) => {
            Observation::CertificateNameMismatch {
                host: host.to_owned(),
                names: Vec::new(),
            }
        }
        other => Observation::CertificateUntrusted {
            reason: other.to_string(),
        },
    }
}

/// A name as rustls presents it (`DnsName("mail.example.com")`, `IpAddress(192.0.2.1)`),
/// as people write it.
fn presented_name(name: &str) -> String {
    name.strip_prefix("DnsName(\"")
        .and_then(|rest| rest.strip_suffix("\")"))
        .or_else(|| {
            name.strip_prefix("IpAddress(")
                .and_then(|rest| rest.strip_suffix(')'))
        })
        .unwrap_or(name)
        .to_owned()
}

/// Whether the TLS library read a plain-text SMTP reply where a TLS record was due: the
/// server on this port speaks SMTP first (STARTTLS), not TLS.
fn is_plaintext_reply(error: &rustls::Error) -> bool {
    matches!(error, rustls::Error::InvalidMessage(_))
}

/// A certificate check that keeps its verdict (and the certificate) for the report and lets
/// the handshake go on; the handshake's signatures are still verified.
#[derive(Debug)]
struct Recording {
    inner: Arc<WebPkiServerVerifier>,
    /// The end-entity certificate and the verdict on it.
    #[allow(clippy::type_complexity)]
    seen: Mutex<Option<(Option<Vec<u8>>, Result<(), rustls::Error>)>>,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let result = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ());
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some((Some(end_entity.to_vec()), result));
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presented_names_read_as_people_write_them() {
        assert_eq!(
            presented_name("DnsName(\"mail.other.test\")"),
            "mail.other.test"
        );
        assert_eq!(presented_name("IpAddress(192.0.2.1)"), "192.0.2.1");
        assert_eq!(presented_name("*.example.com"), "*.example.com");
    }
}
