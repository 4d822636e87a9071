use super::millis;

#[test]
fn wrk_latencies_are_read_in_milliseconds() {
    let close = |text: &str, expected: f64| {
        let got = millis(text).unwrap();
        assert!((got - expected).abs() < 1e-9, "{text}: {got} ≠ {expected}");
    };
    close("812.00us", 0.812);
    close("1.23ms", 1.23);
    close("2.01s", 2010.0);
    assert!(millis("12").is_err());
    assert!(millis("3.5h").is_err());
}
