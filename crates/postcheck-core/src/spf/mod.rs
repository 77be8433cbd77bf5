//! SPF (RFC 7208): the record parser, `check_host()` evaluation, and the static tree analysis.
