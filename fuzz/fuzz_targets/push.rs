//! Any bytes as a pushed body: decoded, and every record read, verified, checked and placed
//! in time as the module's ingestion does. A panic is a finding.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    offline_tracking::fuzzing::decode_and_check_push(bytes);
});
