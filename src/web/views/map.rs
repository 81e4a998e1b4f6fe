//! The offline map of villages: the province outline curators supply and a dot per village,
//! drawn here as SVG.

use serde_json::{Value, json};

use super::labels::{status_key, status_label, village_name};
use crate::model::{Lang, RiskStatus, Village};
use crate::web::i18n::text;
use crate::web::templates::escape;

/// The outline a village map is drawn on: `templates/static/map-outline.json`, rings of
/// `[longitude, latitude]` (curators of another province replace the file).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MapOutline {
    /// Rings of the province boundary.
    #[serde(default)]
    pub rings: Vec<Vec<[f64; 2]>>,
}

/// An offline map of villages: the outline and a dot per located village, coloured by class,
/// as an SVG drawn here (no tile server, no script). Villages without coordinates are listed
/// apart. Longitudes are scaled by the cosine of the middle latitude so shapes keep their
/// proportions.
pub fn village_map(outline: &MapOutline, villages: &[&Village], lang: Lang, base: &str) -> Value {
    let located: Vec<(&Village, f64, f64)> = villages
        .iter()
        .filter_map(|v| Some((*v, v.longitude?, v.latitude?)))
        .filter(|(_, lon, lat)| lon.is_finite() && lat.is_finite())
        .collect();
    let points = outline
        .rings
        .iter()
        .flatten()
        .map(|[lon, lat]| (*lon, *lat))
        .chain(located.iter().map(|(_, lon, lat)| (*lon, *lat)));
    let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) =
        (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (lon, lat) in points {
        min_lon = min_lon.min(lon);
        max_lon = max_lon.max(lon);
        min_lat = min_lat.min(lat);
        max_lat = max_lat.max(lat);
    }
    let unlocated: Vec<Value> = villages
        .iter()
        .filter(|v| !located.iter().any(|(l, _, _)| l.id == v.id))
        .map(|v| json!({"id": v.id, "name": village_name(v, lang)}))
        .collect();
    if min_lon > max_lon {
        return json!({"svg": null, "unlocated": unlocated});
    }
    let margin = 0.02;
    let scale = ((min_lat + max_lat) / 2.0).to_radians().cos();
    let x = |lon: f64| (lon - min_lon) * scale + margin;
    let y = |lat: f64| (max_lat - lat) + margin;
    let width = (max_lon - min_lon) * scale + 2.0 * margin;
    let height = (max_lat - min_lat) + 2.0 * margin;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {width:.4} {height:.4}\" role=\"img\" aria-labelledby=\"map-title\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"map-title\">{}</title>",
        escape(text(lang, "map"))
    );
    for ring in &outline.rings {
        let path: Vec<String> = ring
            .iter()
            .map(|[lon, lat]| format!("{:.4},{:.4}", x(*lon), y(*lat)))
            .collect();
        svg.push_str(&format!(
            "<path class=\"province\" d=\"M{}Z\"/>",
            path.join("L")
        ));
    }
    for (village, lon, lat) in &located {
        let name = village_name(village, lang);
        let status = status_label(village.status, lang);
        svg.push_str(&format!(
            "<a href=\"{base}/villages/{}\"><title>{} — {}</title><circle class=\"dot status-{}\" cx=\"{:.4}\" cy=\"{:.4}\" r=\"0.009\"/><text x=\"{:.4}\" y=\"{:.4}\">{}</text></a>",
            village.id,
            escape(&name.text),
            escape(status),
            status_key(village.status),
            x(*lon),
            y(*lat),
            x(*lon) + 0.013,
            y(*lat) + 0.007,
            escape(&name.text),
        ));
    }
    svg.push_str("</svg>");
    let legend: Vec<Value> = [
        Some(RiskStatus::AtRiskIrreversible),
        Some(RiskStatus::AtRiskRevivable),
        Some(RiskStatus::Developing),
        None,
    ]
    .into_iter()
    .map(|status| json!({"key": status_key(status), "label": status_label(status, lang)}))
    .collect();
    json!({"svg": svg, "unlocated": unlocated, "legend": legend, "located": located.len()})
}
