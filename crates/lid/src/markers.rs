//! Words that tell Malay (Malaysian standard) from Indonesian.
//!
//! The two standards share most of their vocabulary and spelling, so
//! character n-grams split them poorly (lingua's models label most Malay
//! sentences Indonesian). They differ systematically in a set of frequent
//! words: loans fixed differently (`universiti` / `universitas`, `polis` /
//! `polisi`), native doublets (`kerana` / `karena`, `wang` / `uang`,
//! `selepas` / `setelah`), month and day names, and the Latin `-itas` that
//! Malay writes `-iti`. Over a whole document these markers decide what
//! n-grams cannot; a single line has too few of them to be trusted.

/// Malay spelling, then the Indonesian counterpart(s).
const PAIRS: &[(&str, &[&str])] = &[
    ("kerana", &["karena"]),
    ("sahaja", &["saja"]),
    ("wang", &["uang"]),
    ("kerajaan", &["pemerintah"]),
    ("selepas", &["setelah", "sesudah"]),
    ("peratus", &["persen"]),
    ("bilion", &["miliar"]),
    ("syarikat", &["perusahaan"]),
    ("polis", &["polisi"]),
    ("ogos", &["agustus"]),
    ("disember", &["desember"]),
    ("julai", &["juli"]),
    ("jun", &["juni"]),
    ("mac", &["maret"]),
    ("maklumat", &["informasi"]),
    ("perkhidmatan", &["layanan", "pelayanan"]),
    ("percuma", &["gratis"]),
    ("boleh", &["bisa"]),
    ("mahu", &["mau"]),
    ("bajet", &["anggaran"]),
    ("kempen", &["kampanye"]),
    ("kenderaan", &["kendaraan"]),
    ("pejabat", &["kantor"]),
    ("hospital", &["rumah sakit"]),
    ("doktor", &["dokter"]),
    ("filem", &["film"]),
    ("muzik", &["musik"]),
    ("telefon", &["telepon"]),
    ("televisyen", &["televisi"]),
    ("isnin", &["senin"]),
    ("khamis", &["kamis"]),
    ("jumaat", &["jumat"]),
    ("nombor", &["nomor"]),
    ("kualiti", &["kualitas"]),
    ("kakitangan", &["karyawan", "pegawai"]),
    ("sebarang", &[]),
    ("semasa", &[]),
];

/// Indonesian words with no Malay counterpart in the list above.
const INDONESIAN_ONLY: &[&str] = &["banget", "nggak", "gak", "kemarin", "dong", "sih"];

/// (Malay markers, Indonesian markers) among the words of `text`
/// (`peneliti`, Indonesian for researcher, is no `-iti` loan).
pub fn count(text: &str) -> (usize, usize) {
    let (mut malay, mut indonesian) = (0, 0);
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        let lower = word.to_lowercase();
        let w = lower.as_str();
        if PAIRS.iter().any(|(ms, _)| *ms == w) {
            malay += 1;
        } else if PAIRS.iter().any(|(_, id)| id.contains(&w)) || INDONESIAN_ONLY.contains(&w) {
            indonesian += 1;
        } else if w.len() > 5 && w.ends_with("iti") && !w.ends_with("teliti") {
            malay += 1; // universiti, aktiviti, komuniti
        } else if w.len() > 6 && w.ends_with("itas") {
            indonesian += 1; // universitas, aktivitas, komunitas
        }
    }
    (malay, indonesian)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_standards_are_told_apart() {
        let ms = "Kerajaan berkata pelajar universiti boleh mendapat maklumat secara percuma selepas ini.";
        let id = "Pemerintah mengatakan mahasiswa universitas bisa mendapat informasi secara gratis setelah ini.";
        let (m, i) = count(ms);
        assert!(m >= 5 && i == 0, "{m} {i}");
        let (m, i) = count(id);
        assert!(i >= 5 && m == 0, "{m} {i}");
    }
}
