//! The note an English reader sees above course text that has no English twin yet, and the
//! `lang` that text carries so a screen reader reads it as Vietnamese.

use crate::i18n::{Lang, T};
use leptos::prelude::*;

/// The note, when `fallback` (an English reader shown the Vietnamese original).
#[component]
pub fn Untranslated(fallback: bool) -> impl IntoView {
    let lang = expect_context::<Lang>();
    fallback.then(|| view! { <p class="alert untranslated" role="note">{T::NotTranslated.get(lang)}</p> })
}

/// The `lang` attribute of course text shown in Vietnamese to an English reader.
pub fn text_lang(fallback: bool) -> Option<&'static str> {
    fallback.then_some("vi")
}
