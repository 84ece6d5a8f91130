//! The weekly burn-up chart as a self-contained SVG string: covered officials per week, the
//! target line, and the forecast (trailing rate) as a dashed line. Rendered on the server and
//! shipped as markup, so it shows with JavaScript off and needs no chart library.

use super::coverage::{Forecast, WeekPoint};
use chrono::NaiveDate;

/// Text the chart needs, already in the reader's language.
pub struct ChartLabels<'a> {
    pub title: &'a str,
    pub covered: &'a str,
    pub target: &'a str,
    pub forecast: &'a str,
}

use super::html::escape as esc;

/// The burn-up SVG (640×260 viewBox, scales to its container).
pub fn burnup_svg(
    series: &[WeekPoint],
    forecast: Option<&Forecast>,
    deadline: NaiveDate,
    labels: &ChartLabels<'_>,
) -> String {
    let (w, h) = (640.0_f64, 260.0_f64);
    let (left, right, top, bottom) = (44.0, 16.0, 28.0, 36.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let Some(first) = series.first() else {
        return String::new();
    };
    let last = series.last().copied().unwrap_or(*first);
    let target = forecast.map(|f| f.target).unwrap_or(last.base);
    let end = forecast
        .and_then(|f| f.projected)
        .map(|p| p.min(deadline).max(last.date))
        .unwrap_or(last.date)
        .max(last.date);
    let span = ((end - first.date).num_days().max(7)) as f64;
    let ymax = series
        .iter()
        .map(|p| p.base.max(p.covered))
        .max()
        .unwrap_or(0)
        .max(target)
        .max(1);
    // A round top for the scale (140 officials → 150), so the gridline labels are round numbers
    // and never a near-miss of the target's ("141" beside "Mục tiêu 140").
    let ymax = nice_ceiling(ymax) as f64;
    let x = |d: NaiveDate| left + (d - first.date).num_days() as f64 / span * pw;
    let y = |v: f64| top + ph - v / ymax * ph;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" class="burnup" role="img" aria-label="{}">"#,
        esc(labels.title)
    );
    s.push_str(&format!("<title>{}</title>", esc(labels.title)));
    // Axes and gridlines at 0, 50 %, 100 % of the scale.
    for f in [0.0, 0.5, 1.0] {
        let v = ymax * f;
        s.push_str(&format!(
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end" fill="#555">{}</text>"##,
            w - right,
            left - 4.0,
            y(v) + 4.0,
            v.round() as u64,
            y = y(v)
        ));
    }
    // Target line.
    s.push_str(&format!(
        r##"<line x1="{left}" x2="{}" y1="{ty:.1}" y2="{ty:.1}" stroke="#b3261e" stroke-dasharray="2 3"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end" fill="#b3261e">{} {target}</text>"##,
        w - right,
        w - right,
        y(target as f64) - 4.0,
        esc(labels.target),
        ty = y(target as f64)
    ));
    // Covered, week by week.
    let pts: Vec<String> = series
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.date), y(p.covered as f64)))
        .collect();
    s.push_str(&format!(
        r##"<polyline points="{}" fill="none" stroke="#1d6b3a" stroke-width="2.5"/>"##,
        pts.join(" ")
    ));
    for p in series {
        s.push_str(&format!(
            r##"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="#1d6b3a"><title>{}: {}/{}</title></circle>"##,
            x(p.date),
            y(p.covered as f64),
            p.date.format("%d/%m/%Y"),
            p.covered,
            p.base
        ));
    }
    // Forecast: from the last point at the trailing rate until the target or the chart's end.
    if let Some(f) = forecast
        && f.trailing_per_week > 0.0
        && f.remaining > 0
    {
        {
            let weeks = (end - last.date).num_days() as f64 / 7.0;
            let v = (last.covered as f64 + f.trailing_per_week * weeks).min(target as f64);
            s.push_str(&format!(
                r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#1d6b3a" stroke-dasharray="6 4"/>"##,
                x(last.date),
                y(last.covered as f64),
                x(end),
                y(v)
            ));
        }
    }
    // Date labels: first, last, end.
    let mut dates = vec![first.date, last.date];
    if end > last.date {
        dates.push(end);
    }
    for (i, d) in dates.iter().enumerate() {
        let anchor = if i == 0 { "start" } else { "end" };
        s.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="{anchor}" fill="#555">{}</text>"##,
            x(*d),
            h - bottom + 16.0 + if i == 1 && dates.len() == 3 { 12.0 } else { 0.0 },
            d.format("%d/%m/%Y")
        ));
    }
    // Legend.
    s.push_str(&format!(
        r##"<g font-size="12"><line x1="{left}" x2="{}" y1="12" y2="12" stroke="#1d6b3a" stroke-width="2.5"/><text x="{}" y="16">{}</text><line x1="{}" x2="{}" y1="12" y2="12" stroke="#1d6b3a" stroke-dasharray="6 4"/><text x="{}" y="16">{}</text></g>"##,
        left + 18.0,
        left + 22.0,
        esc(labels.covered),
        left + 200.0,
        left + 218.0,
        left + 222.0,
        esc(labels.forecast)
    ));
    s.push_str("</svg>");
    s
}

/// A round top for a scale at or above `v`, whose half is a whole number too (the middle
/// gridline): below 10 the next even number; then a multiple of the leading power of ten (of
/// half of it from 100 on): 14 → 20, 40 → 40, 141 → 150, 1 050 → 1 500.
fn nice_ceiling(v: u64) -> u64 {
    if v < 10 {
        return (v + v % 2).max(2);
    }
    let mut p = 1u64;
    while p <= v / 10 {
        p *= 10;
    }
    let step = if p >= 100 { p / 2 } else { p };
    v.div_ceil(step) * step
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_is_an_svg_with_one_point_per_week_and_escaped_labels() {
        let d0 = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let series: Vec<WeekPoint> = (0..5)
            .map(|w| WeekPoint {
                date: d0 + chrono::Duration::days(7 * w),
                covered: 3 * w as u64,
                base: 40,
            })
            .collect();
        let f = super::super::coverage::forecast(&series, 100, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        let svg = burnup_svg(
            &series,
            f.as_ref(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            &ChartLabels {
                title: "Tiến độ <A&B>",
                covered: "Đã đạt",
                target: "Mục tiêu",
                forecast: "Dự báo",
            },
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<circle").count(), 5);
        assert!(svg.contains("Tiến độ &lt;A&amp;B&gt;"));
        assert!(svg.contains("stroke-dasharray=\"6 4\""), "the forecast line is drawn");
        assert!(svg.contains("Mục tiêu 40"));
    }

    #[test]
    fn the_scale_tops_out_at_a_round_number() {
        let cases = [
            (1, 2),
            (3, 4),
            (7, 8),
            (10, 10),
            (14, 20),
            (40, 40),
            (141, 150),
            (240, 250),
            (1050, 1500),
        ];
        for (v, top) in cases {
            assert_eq!(nice_ceiling(v), top, "{v}");
        }
    }
}
