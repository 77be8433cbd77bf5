//! What the `/tools` page's DKIM verifier module (`postcheck-web-dkim`) hands back to the page
//! (`postcheck-web-tools`): one definition for both sides of the JSON that crosses between the
//! two wasm modules.

use crate::api::ApiError;
use postcheck_core::findings::Finding;
use serde::{Deserialize, Serialize};

/// One signature's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    /// `d=`.
    pub domain: String,
    /// `s=`.
    pub selector: String,
    /// `pass`, `fail`, `neutral`, `temperror`, `permerror` or `none` (RFC 8601 §2.7.1).
    pub result: String,
    /// Why, when it did not pass.
    pub reason: Option<String>,
    /// What postcheck adds to the verdict (a key under 1024 bits, a body signed only up to
    /// `l=`, no body to check), shown with the message tables like any finding.
    #[serde(default)]
    pub findings: Vec<Finding>,
}

/// The signatures' results, or why the keys could not be asked for (then nothing was judged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    Checked(Vec<Checked>),
    /// The gateway could not be asked.
    Unavailable(ApiError),
}
