use super::millis;

#[test]
fn wrk_latencies_are_read_in_milliseconds() {
    assert_eq!(millis("812.00us").unwrap(), 0.812);
    assert_eq!(millis("1.23ms").unwrap(), 1.23);
    assert_eq!(millis("2.01s").unwrap(), 2010.0);
    assert!(millis("12").is_err());
}
