//! Fuzzes `taiwa_booking::fuzzing::availability`; see SECURITY.md, "Fuzzing".
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| taiwa_booking::fuzzing::availability(data));
