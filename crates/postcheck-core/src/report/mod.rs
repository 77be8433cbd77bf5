//! The report planner and the report model: one domain's checks driven to completion in rounds.
//!
//! [`DomainCheck`] runs the SPF tree analysis and one `check_host()` per sending IP on a shared
//! answer cache; each step names every query any of them still needs, so a report costs as many
//! round trips as its longest dependency chain. The [`Report`] is a pure function of the
//! [`CheckInput`] and the answers: the pair (the "snapshot") reproduces it anywhere.
//!
//! - `input` — what a report is computed from: [`CheckInput`], [`Snapshot`], [`SignedSnapshot`],
//!   [`MAX_IPS`], [`MAX_SELECTORS`];
//! - `plan` — the planner: [`DomainCheck`], [`Plan`], [`build_report`] and the assembly of the
//!   sections into a report;
//! - `model` — the report model: [`Report`], [`SpfSection`], [`IpResult`], the records a report
//!   holds ([`Report::records`], [`other_records`]) and the JSON shape ([`LocalizedReport`]);
//! - `fix` — what record to publish: [`fixed_record`].

mod fix;
mod input;
mod model;
mod plan;

pub use fix::fixed_record;
pub use input::{CheckInput, MAX_IPS, MAX_SELECTORS, ReportRequest, SignedSnapshot, Snapshot};
pub use model::{
    IpResult, LocalizedDnsHost, LocalizedFinding, LocalizedReport, Report, SpfSection,
    other_records,
};
pub use plan::{DomainCheck, Plan, build_report};
