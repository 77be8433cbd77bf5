//! The SMTP check of a submission or relay server (`postcheck smtp`), without I/O: the replies
//! a server sends and the capabilities its `EHLO` reply announces ([`reply`]), the client's
//! dialogue as a state machine a driver feeds with the server's bytes ([`dialogue`]), the
//! settings of the check ([`settings`]) and the findings explained from what the dialogue
//! observed ([`explain`]), and the certificate dates a driver shows ([`certificate`]).

pub mod certificate;
pub mod dialogue;
pub mod explain;
pub mod reply;
pub mod settings;
