//! Fuzzes `taiwa_matching::fuzzing::assessment_answers`; see SECURITY.md, "Fuzzing".
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| taiwa_matching::fuzzing::assessment_answers(data));
