//! DNS wire format for postcheck's drivers: query encoding and response decoding, no I/O.
