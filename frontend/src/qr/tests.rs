use qrcode::{Color, QrCode};

use super::{QUIET_ZONE, svg};

#[test]
fn every_dark_module_is_drawn_once_and_nothing_else() {
    let uri = "otpauth://totp/Taiwa:a%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Taiwa";
    let drawn = svg(uri, "QR <code> & \"x\"").expect("fits");
    let code = QrCode::with_error_correction_level(uri, qrcode::EcLevel::M).unwrap();
    let dark = code
        .to_colors()
        .iter()
        .filter(|c| **c == Color::Dark)
        .count();
    // Each run is `M x yhNv1h-Nz`: the runs' lengths add up to the dark modules.
    let d = drawn
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let covered: usize = d
        .split('z')
        .filter(|run| !run.is_empty())
        .map(|run| {
            run.split('h')
                .nth(1)
                .unwrap()
                .split('v')
                .next()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(covered, dark);
    let side = code.width() + 2 * QUIET_ZONE;
    assert!(drawn.contains(&format!("viewBox=\"0 0 {side} {side}\"")));
    // The label is escaped; the first module sits inside the quiet zone.
    assert!(drawn.contains("aria-label=\"QR &lt;code> &amp; &quot;x&quot;\""));
    assert!(d.starts_with(&format!("M{QUIET_ZONE} {QUIET_ZONE}h")));
}

#[test]
fn text_too_long_for_a_code_is_refused() {
    assert!(svg(&"x".repeat(5000), "too long").is_none());
}
