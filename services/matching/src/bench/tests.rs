use super::gini;

#[test]
fn gini_is_zero_for_equal_and_high_for_concentrated_exposure() {
    assert!(gini(&[5, 5, 5, 5]).abs() < 1e-9);
    assert!((gini(&[0, 0, 0, 12]) - 0.75).abs() < 1e-9);
    assert_eq!(gini(&[]), 0.0);
}
