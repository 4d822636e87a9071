//! Fuzzes `taiwa_stripe::fuzzing::webhook`; see SECURITY.md, "Fuzzing".
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| taiwa_stripe::fuzzing::webhook(data));
