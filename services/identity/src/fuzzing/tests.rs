#[test]
fn every_seed_goes_through_without_a_panic() {
    let seeds = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/seeds/invitation_upload"
    );
    let mut count = 0;
    for entry in std::fs::read_dir(seeds).into_iter().flatten().flatten() {
        super::invitation_upload(&std::fs::read(entry.path()).unwrap_or_default());
        count += 1;
    }
    assert!(count >= 3, "expected the invitation seeds in {seeds}");
}
