use super::*;

#[test]
fn packs_are_unique_and_larger_packs_cost_less_per_session() {
    let mut per_session = Vec::new();
    for (i, p) in PACKS.iter().enumerate() {
        assert!(PACKS[i + 1..].iter().all(|q| q.pack != p.pack));
        assert_eq!(pack(p.pack).map(|q| q.credits), Some(p.credits));
        per_session.push(p.price_jpy / p.credits);
    }
    assert!(
        per_session.windows(2).all(|w| w[0] > w[1]),
        "{per_session:?}"
    );
    assert!(pack("11").is_none());
}
