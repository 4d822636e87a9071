//! Fuzzes `taiwa_identity::fuzzing::invitation_upload`; see SECURITY.md, "Fuzzing".
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| taiwa_identity::fuzzing::invitation_upload(data));
