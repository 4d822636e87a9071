//! Charts as server-rendered SVG (presentation attributes only, so the
//! strict CSP needs no inline styles), each with a text alternative.

use std::fmt::Write;

/// Escapes text for SVG/HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A radar chart of values in [−1, 1], one axis per `(label, value)`.
pub fn radar(axes: &[(String, f64)], title: &str) -> String {
    let (cx, cy, r) = (200.0, 190.0, 130.0);
    let n = axes.len().max(1) as f64;
    let point = |i: usize, radius: f64| {
        let angle = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / n;
        (cx + radius * angle.cos(), cy + radius * angle.sin())
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg viewBox="-90 0 580 390" role="img" aria-labelledby="radar-title" class="chart radar"><title id="radar-title">{}</title>"#,
        escape(title)
    );
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let pts: Vec<String> = (0..axes.len())
            .map(|i| {
                let (x, y) = point(i, r * ring);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            svg,
            r##"<polygon points="{}" fill="none" stroke="#c9d3cf" stroke-width="1"/>"##,
            pts.join(" ")
        );
    }
    for (i, (label, _)) in axes.iter().enumerate() {
        let (x, y) = point(i, r);
        let (lx, ly) = point(i, r + 28.0);
        let anchor = if (lx - cx).abs() < 10.0 {
            "middle"
        } else if lx > cx {
            "start"
        } else {
            "end"
        };
        let _ = write!(
            svg,
            r##"<line x1="{cx}" y1="{cy}" x2="{x:.1}" y2="{y:.1}" stroke="#c9d3cf"/><text x="{lx:.1}" y="{ly:.1}" text-anchor="{anchor}" font-size="13" fill="#1f2933">{}</text>"##,
            escape(label)
        );
    }
    let pts: Vec<String> = axes
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let (x, y) = point(i, r * (v.clamp(-1.0, 1.0) + 1.0) / 2.0);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = write!(
        svg,
        r##"<polygon points="{}" fill="#2f6f62" fill-opacity="0.25" stroke="#2f6f62" stroke-width="2"/></svg>"##,
        pts.join(" ")
    );
    svg
}

/// One line of a trend chart: a label and a value per period (`None`:
/// hidden by the anonymity rules, drawn as a gap).
pub struct Series {
    /// Legend text.
    pub label: String,
    /// Values per period.
    pub values: Vec<Option<usize>>,
}

const PALETTE: [&str; 12] = [
    "#2f6f62", "#b4521e", "#3d5a98", "#8a6d00", "#7a3f7a", "#2b7a99", "#a13b3b", "#4d6b2e",
    "#5b4a99", "#99633d", "#1f7a4d", "#8c3d6b",
];

/// A round step for `ticks` axis lines up to at least `max`.
fn nice_step(max: f64, ticks: f64) -> f64 {
    let raw = (max / ticks).max(1.0);
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
}

/// A line chart of counts over periods.
pub fn trends(periods: &[String], series: &[Series], title: &str) -> String {
    let (left, top, width, height) = (48.0, 20.0, 560.0, 220.0);
    let highest = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .copied()
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let step = nice_step(highest, 4.0);
    let max = (highest / step).ceil() * step;
    let x = |i: usize| left + width * (i as f64 + 0.5) / periods.len().max(1) as f64;
    let y = |v: usize| top + height - height * v as f64 / max;
    let legend_h = 22.0 * series.len() as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg viewBox="0 0 660 {:.0}" role="img" aria-labelledby="trend-title" class="chart trends"><title id="trend-title">{}</title>"#,
        top + height + 40.0 + legend_h,
        escape(title)
    );
    for tick in 0..=((max / step).round() as u32) {
        let v = (step * f64::from(tick)).round() as usize;
        let yy = y(v);
        let _ = write!(
            svg,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#e1e7e4"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="12" fill="#52606d">{v}</text>"##,
            left + width,
            left - 6.0,
            yy + 4.0
        );
    }
    for (i, p) in periods.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12" fill="#52606d">{}</text>"##,
            x(i),
            top + height + 18.0,
            escape(p)
        );
    }
    for (n, s) in series.iter().enumerate() {
        let colour = PALETTE[n % PALETTE.len()];
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, svg: &mut String| {
            if run.len() > 1 {
                let _ = write!(
                    svg,
                    r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2.5"/>"#,
                    run.join(" ")
                );
            }
            run.clear();
        };
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => {
                    run.push(format!("{:.1},{:.1}", x(i), y(*v)));
                    let _ = write!(
                        svg,
                        r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{colour}"/>"#,
                        x(i),
                        y(*v)
                    );
                }
                None => flush(&mut run, &mut svg),
            }
        }
        flush(&mut run, &mut svg);
        let ly = top + height + 40.0 + 22.0 * n as f64;
        let _ = write!(
            svg,
            r##"<rect x="{left}" y="{:.1}" width="14" height="4" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="13" fill="#1f2933">{}</text>"##,
            ly - 6.0,
            left + 22.0,
            ly,
            escape(&s.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests;
