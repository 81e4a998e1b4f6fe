//! Positions written in the sheet rather than in a file: columns such as `latitude`, `gps` or
//! `tọa độ`, and coordinates written into `dcterms.spatial` or `dc.coverage`. They are kept in
//! the archive (the record is stored as described) but never sent to anonymous visitors: not by
//! the API, the record page, its JSON-LD, nor the search index's text and snippets. Place names
//! (`dcterms.spatial = Đa Sỹ`) stay public; villages' own coordinates (`villages.csv`, the village
//! map) are public by design and not touched here.
//!
//! Two rules, both deny by default:
//! - [`is_location_column`]: a column whose name, folded (no diacritics, lower case) and cut into
//!   words, says latitude, longitude, GPS, location, coordinates, address or their Vietnamese
//!   names (`tọa độ`/`toạ độ`, `vĩ độ`, `kinh độ`, `vị trí`, `địa chỉ`);
//! - [`looks_like_coordinates`]: a value written as a position (a degree sign, a hemisphere after
//!   a number, `geo:`, a WKT `POINT`, a DCMI Point `north=`/`east=`, or nothing but a latitude and
//!   a longitude in decimal degrees). It applies to `spatial`, `coverage` and every extra column.

use crate::model::Record;
use crate::model::text::fold;

/// Single folded words that name a position.
const WORDS: &[&str] = &[
    "lat",
    "lon",
    "lng",
    "latlon",
    "latlng",
    "latlong",
    "gps",
    "geo",
    "geotag",
    "location",
    "locations",
    "coordinate",
    "coordinates",
    "coords",
    "coord",
    "address",
    "toado",
    "vido",
    "kinhdo",
    "vitri",
    "diachi",
];

/// Pieces that name a position wherever they appear in a word (`gpsLatitude`, `geolocation`).
const PIECES: &[&str] = &["latitude", "longitude", "gps", "coordinat", "geoloc"];

/// Folded two-word Vietnamese names of a position.
const PHRASES: &[[&str; 2]] = &[
    ["toa", "do"],
    ["vi", "do"],
    ["kinh", "do"],
    ["vi", "tri"],
    ["dia", "chi"],
];

/// Dublin Core terms whose values are checked with [`looks_like_coordinates`].
const PLACE_TERMS: &[&str] = &["spatial", "coverage"];

/// Whether a sheet column (or front-matter key) named `name` holds positions, by its name.
/// `exif.gps`, `GPS_Lat`, `Tọa độ` and `toạ độ` do; `lunar_date` and `village` do not.
pub fn is_location_column(name: &str) -> bool {
    let folded = fold(name);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words
        .iter()
        .any(|word| WORDS.contains(word) || PIECES.iter().any(|piece| word.contains(piece)))
        || words
            .windows(2)
            .any(|pair| PHRASES.iter().any(|phrase| pair == phrase))
}

/// Whether `value` is written as a position: `20.5123, 105.9876`, `20°30'44"N`, `20.5 N`,
/// `geo:20.5,105.9`, `POINT(105.98 20.51)`, `north=20.51; east=105.98`. A place name, a year or
/// a house number (`12B Hàng Bạc`) is not.
pub fn looks_like_coordinates(value: &str) -> bool {
    let folded = fold(value);
    let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    let marked = [
        "geo:", "point(", "north=", "east=", "lat=", "lon=", "long=", "lng=",
    ]
    .iter()
    .any(|mark| {
        compact
            .match_indices(mark)
            .any(|(at, _)| starts_with_number(&compact[at + mark.len()..]))
    });
    marked || has_degree(&folded) || has_hemisphere(&folded) || is_decimal_pair(&folded)
}

/// Whether `text` begins with a (signed) digit.
fn starts_with_number(text: &str) -> bool {
    let text = text.trim_start_matches(['-', '+']);
    text.starts_with(|c: char| c.is_ascii_digit())
}

/// A digit followed by a degree sign (`°`, `º`, `˚`) or the words `deg`/`do` (`độ`, folded).
fn has_degree(folded: &str) -> bool {
    let chars: Vec<char> = folded.chars().collect();
    chars.iter().enumerate().any(|(n, &c)| {
        if !c.is_ascii_digit() {
            return false;
        }
        let rest: String = chars[n + 1..].iter().collect();
        let rest = rest.trim_start();
        rest.starts_with(['°', 'º', '˚'])
            || ["deg", "do "].iter().any(|word| rest.starts_with(word))
            || rest == "do"
    })
}

/// A decimal number (`20.5`, `20,5`) followed by `n`, `s`, `e` or `w` standing alone.
fn has_hemisphere(folded: &str) -> bool {
    let chars: Vec<char> = folded.chars().collect();
    let mut n = 0;
    while n < chars.len() {
        if !chars[n].is_ascii_digit() {
            n += 1;
            continue;
        }
        let mut end = n;
        let mut fraction = false;
        while end < chars.len() {
            if chars[end].is_ascii_digit() {
                end += 1;
            } else if matches!(chars[end], '.' | ',')
                && chars.get(end + 1).is_some_and(char::is_ascii_digit)
            {
                fraction = true;
                end += 1;
            } else {
                break;
            }
        }
        let mut at = end;
        while chars
            .get(at)
            .is_some_and(|c| *c == ' ' || *c == '\'' || *c == '"')
        {
            at += 1;
        }
        let hemisphere = chars
            .get(at)
            .is_some_and(|c| matches!(c, 'n' | 's' | 'e' | 'w'))
            && !chars.get(at + 1).is_some_and(|c| c.is_alphanumeric());
        if fraction && hemisphere {
            return true;
        }
        n = end.max(n + 1);
    }
    false
}

/// Nothing but two or three numbers, at least one with a fraction, the first a latitude (±90) and
/// the second a longitude (±180), in either order: `20.5123, 105.9876`, `20,51; 105,98`.
fn is_decimal_pair(folded: &str) -> bool {
    let separators = |c: char| c.is_whitespace() || c == ';' || c == '/' || c == '|';
    let mut parts: Vec<&str> = folded.split(separators).filter(|p| !p.is_empty()).collect();
    // `20.5,105.9`: a comma between two dotted numbers separates them.
    if parts.len() == 1 && parts[0].contains('.') {
        parts = parts[0].split(',').collect();
    }
    let parts: Vec<&str> = parts
        .iter()
        .map(|p| p.trim_end_matches(',').trim_start_matches(','))
        .filter(|p| !p.is_empty())
        .collect();
    if !(2..=3).contains(&parts.len()) {
        return false;
    }
    let numbers: Vec<(f64, bool)> = parts
        .iter()
        .filter_map(|p| {
            let fraction = p.contains(['.', ',']);
            p.replace(',', ".")
                .parse::<f64>()
                .ok()
                .map(|v| (v, fraction))
        })
        .collect();
    if numbers.len() != parts.len() || !numbers.iter().any(|(_, fraction)| *fraction) {
        return false;
    }
    let (a, b) = (numbers[0].0.abs(), numbers[1].0.abs());
    (a <= 90.0 && b <= 180.0) || (a <= 180.0 && b <= 90.0)
}

/// Whether a Dublin Core value may be sent to anonymous visitors (and indexed for them).
pub fn is_public_dc(term: &str, value: &str) -> bool {
    !(PLACE_TERMS.contains(&term) && looks_like_coordinates(value))
}

/// Removes from `record` every position written in its description (see the module's rules):
/// what anonymous visitors may be sent of it.
pub fn withhold_written_positions(record: &mut Record) {
    record.extra.retain(|name, values| {
        values.retain(|value| !looks_like_coordinates(value));
        !is_location_column(name) && !values.is_empty()
    });
    for (term, values) in record.dc.iter_mut() {
        values.retain(|value| is_public_dc(term, &value.value));
    }
    record.dc.retain(|_, values| !values.is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_columns_are_known_by_name() {
        for name in [
            "latitude",
            "Longitude",
            "lat",
            "lon",
            "gps",
            "exif.gps",
            "GPS_Lat",
            "gpsLatitude",
            "location",
            "coordinates",
            "toạ độ",
            "tọa độ",
            "Tọa Độ",
            "vĩ độ",
            "kinh độ",
            "vị trí",
            "địa chỉ",
            "address",
            "geolocation",
        ] {
            assert!(is_location_column(name), "{name}");
        }
        for name in [
            "lunar_date",
            "village",
            "notes",
            "độ dài",
            "latency",
            "photographer",
        ] {
            assert!(!is_location_column(name), "{name}");
        }
    }

    #[test]
    fn coordinates_are_known_by_their_writing() {
        for value in [
            "20.5123,105.9876",
            "20.5123, 105.9876",
            "20.5123 105.9876",
            "105.9876; 20.5123",
            "20,5123; 105,9876",
            "20.5 N",
            "20.5123N 105.9876E",
            "20°30'44\"N 105°59'15\"E",
            "20 deg 30' N",
            "20 độ 30 phút",
            "geo:20.5,105.9",
            "POINT(105.98 20.51)",
            "name=Đa Sỹ; north=20.51; east=105.98",
            "-33.86, 151.21, 12",
        ] {
            assert!(looks_like_coordinates(value), "{value}");
        }
        for value in [
            "Đa Sỹ",
            "Nha Xa home",
            "12 Hang Bac",
            "Ngõ 12B Hàng Bạc",
            "1930",
            "Thế kỷ 19",
            "2021-05-04",
            "15/8",
            "3 bản",
            "Hà Nam, Việt Nam",
            "200.5, 300.5",
        ] {
            assert!(!looks_like_coordinates(value), "{value}");
        }
    }
}
