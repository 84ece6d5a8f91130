//! Turning a file's bytes into the text every other step reads: UTF-8 (a BOM is dropped),
//! `\n` line ends (CRLF and lone CR accepted), Unicode NFC (so NFD text typed on a Mac compares
//! equal), and the SHA-256 content hashes computed over that normalised text.

use sha2::{Digest, Sha256};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Decodes and normalises one text file. Invalid UTF-8 is an error at the first bad byte's
/// line:col (counted on the valid prefix).
pub fn normalise(bytes: &[u8]) -> Result<String, (usize, usize)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let raw = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let col = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err((line, col));
        }
    };
    Ok(normalise_str(raw))
}

/// Line ends to `\n`, then NFC.
pub fn normalise_str(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
    let unix = if raw.contains('\r') {
        raw.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        raw.to_owned()
    };
    // Text typed on Windows and Linux is NFC already; the quick check (one table look-up per
    // character) spares it the decomposition and recomposition, a quarter of compiling a library.
    if is_nfc_quick(unix.chars()) == IsNormalized::Yes {
        unix
    } else {
        unix.nfc().collect()
    }
}

/// SHA-256, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Hash of several named parts (a course's files): each part is framed by its name and length so
/// that moving bytes between files changes the hash.
pub fn sha256_parts<'a>(parts: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut h = Sha256::new();
    for (name, bytes) in parts {
        h.update(name.as_bytes());
        h.update(b"\0");
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_crlf_and_nfd_are_normalised() {
        let nfd = "\u{FEFF}Nghi\u{0323} \u{0111}i\u{0323}nh\r\nx";
        assert_eq!(normalise(nfd.as_bytes()), Ok("Nghị định\nx".to_owned()));
    }

    #[test]
    fn invalid_utf8_points_at_the_bad_byte() {
        assert_eq!(normalise(b"ab\ncd\xFFe"), Err((2, 3)));
    }
}
