//! A progress ring: a share at a glance, as inline SVG (no image, font or script). It is
//! decoration beside a number written in text, so screen readers skip it.

use leptos::prelude::*;

/// Radius and circumference of the ring in its 40×40 box.
const R: f64 = 16.0;

/// The dash pattern that draws `percent` (clamped to 0..=100) of the ring.
pub fn dash(percent: f64) -> String {
    let c = 2.0 * std::f64::consts::PI * R;
    let on = c * percent.clamp(0.0, 100.0) / 100.0;
    format!("{on:.2} {c:.2}")
}

/// The end points of the target's tick across the ring, at `percent` of a turn from the top.
fn tick(percent: f64) -> (f64, f64, f64, f64) {
    let a = (percent.clamp(0.0, 100.0) / 100.0) * std::f64::consts::TAU - std::f64::consts::FRAC_PI_2;
    let (inner, outer) = (R - 6.0, R + 6.0);
    (
        20.0 + inner * a.cos(),
        20.0 + inner * a.sin(),
        20.0 + outer * a.cos(),
        20.0 + outer * a.sin(),
    )
}

/// A ring filled to `percent`, with a tick at `target` (a percentage) when given. Its colour is
/// the text colour of where it stands (`currentColor`).
#[component]
pub fn Ring(percent: f64, #[prop(optional)] target: Option<f64>, #[prop(default = 48)] size: u32) -> impl IntoView {
    view! {
        <svg class="ring" width=size height=size viewBox="0 0 40 40" aria-hidden="true" focusable="false">
            <circle class="ring-track" cx="20" cy="20" r=R fill="none" stroke-width="6"/>
            <circle class="ring-fill" cx="20" cy="20" r=R fill="none" stroke="currentColor" stroke-width="6"
                stroke-linecap="round" stroke-dasharray=dash(percent) transform="rotate(-90 20 20)"/>
            {target.map(|t| {
                let (x1, y1, x2, y2) = tick(t);
                view! { <line class="ring-target" x1=x1 y1=y1 x2=x2 y2=y2 stroke-width="2"/> }
            })}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dash_covers_the_share_and_stays_inside_the_ring() {
        let c = 2.0 * std::f64::consts::PI * R;
        assert_eq!(dash(0.0), format!("0.00 {c:.2}"));
        assert_eq!(dash(50.0), format!("{:.2} {c:.2}", c / 2.0));
        assert_eq!(dash(250.0), dash(100.0), "over 100 % draws a full ring, no more");
        assert_eq!(dash(-5.0), dash(0.0));
    }

    #[test]
    fn the_target_tick_points_from_the_top_clockwise() {
        let (x1, y1, x2, y2) = tick(0.0);
        assert!(
            (x1 - 20.0).abs() < 1e-9 && (x2 - 20.0).abs() < 1e-9 && y2 < y1,
            "straight up"
        );
        let (x1, _, x2, _) = tick(25.0);
        assert!(x2 > x1 && x1 > 20.0, "a quarter turn points right");
    }
}
