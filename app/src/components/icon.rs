//! A small icon set drawn for Taphuan: inline SVG strokes on a 24-unit grid, in the colour of
//! the text around them. No icon font and no download: an icon is a few hundred bytes of the
//! page it is on. Icons are decoration (`aria-hidden`): the words beside them carry the meaning.

use leptos::prelude::*;

/// The icons Taphuan uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    /// Administration: three sliders.
    Settings,
    /// Coverage: a bar chart.
    Chart,
    /// Targets (chỉ tiêu): concentric rings.
    Target,
    /// The roster: two people.
    People,
    /// Content: an open book.
    Book,
    /// Rights: a key.
    Key,
    /// Learning: a graduation cap.
    Cap,
    /// Certificates and the transcript: a rosette.
    Award,
    /// A file to download.
    Download,
    /// A document to print.
    Print,
    /// The next step.
    Arrow,
    /// Not yet open.
    Lock,
    /// Done.
    Check,
    /// Try again.
    Retry,
    /// Classes held on dates: a calendar.
    Calendar,
}

impl Icon {
    /// The strokes: `M…` path data, each string one `<path>`; circles as `(cx, cy, r)`.
    fn strokes(self) -> (&'static [&'static str], &'static [(u8, u8, u8)]) {
        match self {
            Icon::Settings => (
                &["M4 6h10M18 6h2", "M4 12h4M12 12h8", "M4 18h12M20 18h0"],
                &[(16, 6, 2), (10, 12, 2), (18, 18, 2)],
            ),
            Icon::Chart => (&["M5 20v-6", "M12 20V8", "M19 20V4", "M3 20.5h18"], &[]),
            Icon::Target => (&["M12 12l7-7", "M16 5h3v3"], &[(12, 12, 9), (12, 12, 5)]),
            Icon::People => (
                &[
                    "M3 20c0-3.6 2.7-6 6-6s6 2.4 6 6",
                    "M16 4.6a3.5 3.5 0 0 1 0 6.8",
                    "M18 14.4c1.9.7 3 2.8 3 5.6",
                ],
                &[(9, 8, 3)],
            ),
            Icon::Book => (
                &[
                    "M3 5h6a3 3 0 0 1 3 3v12a2 2 0 0 0-2-2H3z",
                    "M21 5h-6a3 3 0 0 0-3 3v12a2 2 0 0 1 2-2h7z",
                ],
                &[],
            ),
            Icon::Key => (&["M11 13l9-9", "M16 8l3 3", "M14 10l2 2"], &[(8, 16, 4)]),
            Icon::Cap => (
                &[
                    "M2 9l10-5 10 5-10 5z",
                    "M6 11.2V16c0 1.6 2.7 3 6 3s6-1.4 6-3v-4.8",
                    "M22 9v6",
                ],
                &[],
            ),
            Icon::Award => (&["M8.6 14.2L7 22l5-3 5 3-1.6-7.8"], &[(12, 9, 6)]),
            Icon::Download => (&["M12 3v12", "M7 10l5 5 5-5", "M4 21h16"], &[]),
            Icon::Print => (
                &[
                    "M6 9V3h12v6",
                    "M6 18H4v-7a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v7h-2",
                    "M6 14h12v7H6z",
                ],
                &[],
            ),
            Icon::Arrow => (&["M5 12h14", "M13 6l6 6-6 6"], &[]),
            Icon::Calendar => (&["M4 6h16v14H4z", "M4 10h16", "M8 3v5", "M16 3v5", "M8 14h3"], &[]),
            Icon::Lock => (&["M5 11h14v10H5z", "M8 11V7a4 4 0 0 1 8 0v4"], &[]),
            Icon::Check => (&["M4 12.5l5 5L20 6.5"], &[]),
            Icon::Retry => (&["M4 12a8 8 0 1 0 2.3-5.7", "M4 4v5h5"], &[]),
        }
    }
}

/// One icon, `size` CSS pixels square, in the current text colour.
#[component]
pub fn Ico(icon: Icon, #[prop(default = 18)] size: u8) -> impl IntoView {
    let (paths, circles) = icon.strokes();
    view! {
        <svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width=size height=size
            fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            {paths.iter().map(|d| view! { <path d=*d/> }).collect_view()}
            {circles.iter().map(|(cx, cy, r)| view! { <circle cx=*cx cy=*cy r=*r/> }).collect_view()}
        </svg>
    }
}
