//! What record to publish: the SPF record that authorizes a sending IP that did not pass, as the
//! `spf-ip-not-authorized` finding's `fix`.

use super::CheckInput;
use crate::profile::ProfileSection;
use crate::spf::analyze::SpfNode;
use crate::spf::parse;
use std::net::IpAddr;

/// The record that authorizes `ip`: for a vendor's own IP, the profile's corrected record (it
/// adds the vendor's mechanisms, so every vendor IP passes and the next IP change is covered
/// too); otherwise [`fixed_record`]. Empty when none can be built.
pub(super) fn ip_fix(
    root: &SpfNode,
    ip: IpAddr,
    input: &CheckInput,
    profile: Option<&ProfileSection>,
) -> String {
    let vendor_ip = input.profile.as_ref().is_some_and(|p| p.ips.contains(&ip));
    let corrected = profile.and_then(|p| p.corrected_record.clone());
    match corrected {
        Some(record) if vendor_ip => record,
        _ => fixed_record(root, ip).unwrap_or_default(),
    }
}

/// The root record with `ip4:`/`ip6:` for `ip` inserted before `all` (or before `redirect=`, or
/// at the end): the smallest change that authorizes the address.
pub fn fixed_record(root: &SpfNode, ip: IpAddr) -> Option<String> {
    let text = root.record.as_ref()?;
    if parse::parse(text).has_errors() {
        return None;
    }
    let mechanism = match ip {
        IpAddr::V4(v4) => format!("ip4:{v4}"),
        IpAddr::V6(v6) => format!("ip6:{v6}"),
    };
    Some(crate::profile::insert_before_all(text, &[mechanism]))
}
