use super::*;

#[test]
fn renders_counters_and_histograms() {
    let m = Metrics::default();
    m.observe("GET", "/api/v1/me", 200, 0.02);
    m.observe("GET", "/api/v1/me", 200, 0.2);
    let text = m.render();
    assert!(
        text.contains(
            "taiwa_http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"200\"} 2"
        ),
        "{text}"
    );
    assert!(text.contains("le=\"0.025\"} 1"), "{text}");
    assert!(text.contains("le=\"+Inf\"} 2"), "{text}");
}
