//! The `postcheck` binary: parses arguments and wires the resolver to the core.

fn main() {}
