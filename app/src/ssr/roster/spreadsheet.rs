//! Spreadsheets turned into the CSV text the roster and agency readers check, bounded in memory
//! and time whatever the file claims about itself.

/// Whether `bytes` look like a spreadsheet (an .xlsx/.xlsm/.ods zip, or an old .xls) rather
/// than text.
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// The largest sheet a roster or agency file may use: rows and columns (a province's roster is a
/// few thousand rows and a dozen columns). A cell beyond them is refused before anything is
/// allocated for it: one cell at XFD1048576 once made the reader allocate rows × columns.
pub const MAX_SHEET_ROWS: u32 = 200_000;
/// See [`MAX_SHEET_ROWS`].
pub const MAX_SHEET_COLS: u32 = 64;
/// Non-empty cells read from a sheet at most.
const MAX_SHEET_CELLS: usize = 2_000_000;
/// What a spreadsheet may unpack to, all parts together (measured while unpacking, not taken
/// from the zip's own header, which can lie), and how many parts it may have.
const MAX_UNZIPPED_BYTES: u64 = 64 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 2_000;

/// A roster or agency file as the checker reads it: CSV text as is; an Excel workbook's (.xlsx)
/// first worksheet turned into CSV with one line per sheet row and one field per sheet column,
/// so `dòng L, cột C` in an error is row L and column C of the sheet. Dates become
/// `dd/mm/yyyy`, whole numbers lose Excel's `.0`, booleans become có/không, line breaks inside a
/// cell become spaces. An unreadable or oversized spreadsheet is an error in words.
///
/// Bounded in memory and time: the zip is unpacked once into a sink to measure it (at most
/// [`MAX_UNZIPPED_BYTES`]), and the sheet is streamed cell by cell, refused at the first cell
/// outside [`MAX_SHEET_ROWS`] × [`MAX_SHEET_COLS`]. Old .xls and OpenDocument .ods files are
/// refused with a hint: their readers expand repeated and declared ranges before any check can run.
/// CPU-bound: call it off the async workers (`spawn_blocking`).
pub fn file_text(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    use calamine::{DataRef, Reader, Xlsx};
    if !is_spreadsheet(&bytes) {
        return Ok(bytes);
    }
    let resave = "mở tệp bằng Excel và lưu lại dạng .xlsx (Excel Workbook), hoặc dạng CSV UTF-8";
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(format!("tệp Excel 97–2003 (.xls) không được nhận — {resave}"));
    }
    measure_zip(&bytes)?;
    if zip_holds(&bytes, "mimetype") && !zip_holds(&bytes, "xl/workbook.xml") {
        return Err(format!("tệp OpenDocument (.ods) không được nhận — {resave}"));
    }
    let unreadable = |e: &dyn std::fmt::Display| format!("không đọc được tệp Excel ({e}) — {resave}");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let Some(first) = book.sheet_names().first().cloned() else {
        return Err("tệp Excel không có trang tính nào — danh sách phải ở trang tính đầu tiên".into());
    };
    let mut reader = book.worksheet_cells_reader(&first).map_err(|e| unreadable(&e))?;
    // (row, column, text) of every non-empty cell, in the order the sheet stores them.
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
        let (r, c) = cell.get_position();
        let text = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) => s.replace(['\r', '\n'], " "),
            DataRef::SharedString(s) => s.replace(['\r', '\n'], " "),
            DataRef::Int(i) => i.to_string(),
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            DataRef::Float(f) => f.to_string(),
            DataRef::Bool(true) => "có".into(),
            DataRef::Bool(false) => "không".into(),
            DataRef::DateTime(d) => d
                .as_datetime()
                .map(|t| t.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|| d.as_f64().to_string()),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
            DataRef::Error(e) => format!("#{e:?}"),
        };
        if text.is_empty() {
            continue;
        }
        if r >= MAX_SHEET_ROWS || c >= MAX_SHEET_COLS {
            return Err(format!(
                "trang tính có dữ liệu ở ô {}, ngoài giới hạn của một danh sách ({MAX_SHEET_ROWS} dòng, {MAX_SHEET_COLS} cột) — xóa các ô thừa ở cuối trang tính, hoặc lưu danh sách dạng CSV UTF-8",
                cell_name(r, c)
            ));
        }
        if cells.len() >= MAX_SHEET_CELLS {
            return Err(format!(
                "trang tính có hơn {MAX_SHEET_CELLS} ô có dữ liệu — chia danh sách thành nhiều tệp"
            ));
        }
        cells.push((r, c, text));
    }
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(vec![]);
    let first_row = cells.first().map_or(0, |(r, _, _)| *r);
    let last_row = cells.last().map_or(0, |(r, _, _)| *r);
    // Empty rows above the data are bare line ends (skipped by the reader, counted in line numbers).
    let mut out = "\n".repeat(first_row as usize).into_bytes();
    let mut at = 0;
    for row in first_row..=last_row {
        let mut fields: Vec<String> = Vec::new();
        while at < cells.len() && cells[at].0 == row {
            let (_, c, text) = &mut cells[at];
            fields.resize(*c as usize, String::new());
            fields.push(std::mem::take(text));
            at += 1;
        }
        if fields.is_empty() {
            // One empty field: csv writes `""`, which keeps the line and reads back as blank.
            fields.push(String::new());
        }
        w.write_record(&fields).map_err(|e| e.to_string())?;
    }
    out.extend(w.into_inner().map_err(|e| e.to_string())?);
    Ok(out)
}

/// `A1`-style name of a zero-based cell position, as Excel shows it.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap_or_default(), row + 1)
}

/// Unpacks every part of a zip into a sink, counting the bytes that really come out, and refuses
/// the file past [`MAX_ZIP_ENTRIES`] parts or [`MAX_UNZIPPED_BYTES`] (a zip bomb).
fn measure_zip(bytes: &[u8]) -> Result<(), String> {
    use std::io::Read;
    let damaged = |e: &dyn std::fmt::Display| {
        format!("tệp Excel bị hỏng ({e}) — mở tệp bằng Excel và lưu lại dạng .xlsx, hoặc dạng CSV UTF-8")
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(format!("tệp Excel có {} phần, quá nhiều cho một danh sách", zip.len()));
    }
    let too_big = || {
        format!(
            "tệp Excel giải nén ra hơn {} MiB, quá lớn cho một danh sách — xóa các trang tính, hình ảnh không cần thiết, hoặc lưu dạng CSV UTF-8",
            MAX_UNZIPPED_BYTES / (1024 * 1024)
        )
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| damaged(&e))?;
        let budget = MAX_UNZIPPED_BYTES - total;
        let n = std::io::copy(&mut entry.take(budget + 1), &mut std::io::sink()).map_err(|e| damaged(&e))?;
        total += n;
        if total > MAX_UNZIPPED_BYTES {
            return Err(too_big());
        }
    }
    Ok(())
}

fn zip_holds(bytes: &[u8], name: &str) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok_and(|mut z| z.by_name(name).is_ok())
}
