//! SVG patterns drawn to pixels: resvg without scripts, external references or fonts, and a
//! walk of the element and reference graph that refuses an SVG nesting past the budgets before
//! the renderer (which recurses through both) sees it.

use super::{DISPLAY_SIZE, DecodedImage, DeriveError};

/// References (masks, clip paths, filters, patterns, markers, `use`) an SVG may chain: each
/// level costs the renderer a full-size layer (about 10 MB at 1600 px) and a stack frame.
pub const MAX_SVG_REFERENCE_DEPTH: u32 = 8;

/// Element nesting an SVG may have.
pub const MAX_SVG_ELEMENT_DEPTH: u32 = 128;

/// Elements an SVG may hold (real patterns hold hundreds to thousands).
pub const MAX_SVG_ELEMENTS: u32 = 200_000;

/// Rasterises an SVG pattern so that its long side is [`DISPLAY_SIZE`] px, on white.
///
/// Scripts, external references and embedded raster images are never loaded (resvg is built
/// without them), so a hostile SVG cannot reach anything; text elements are not drawn, since no
/// fonts are bundled. An SVG nesting elements or references deeper than
/// [`MAX_SVG_ELEMENT_DEPTH`] or [`MAX_SVG_REFERENCE_DEPTH`] is refused before it is drawn
/// ([`DeriveError::Budget`]); memory and time are bounded by the worker process that calls this
/// ([`crate::index::sandbox`]).
pub fn rasterise_svg(bytes: &[u8]) -> Result<DecodedImage, DeriveError> {
    use resvg::{tiny_skia, usvg};
    check_svg_nesting(bytes)?;
    let tree =
        usvg::Tree::from_data(bytes, &usvg::Options::default()).map_err(|error| match error {
            // Well-formed, but `<use>` fans out into more elements than usvg draws.
            usvg::Error::ElementsLimitReached
            | usvg::Error::ParsingFailed(roxmltree::Error::NodesLimitReached) => {
                DeriveError::Budget(format!("too complex to draw: {error}"))
            }
            other => DeriveError::Decode(other.to_string()),
        })?;
    let size = tree.size();
    let scale = DISPLAY_SIZE as f32 / size.width().max(size.height());
    let width = ((size.width() * scale).round() as u32).max(1);
    let height = ((size.height() * scale).round() as u32).max(1);
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or_else(|| {
        DeriveError::Budget(format!(
            "too large to draw: cannot draw at {width}x{height}"
        ))
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // Drawn on opaque white, so the premultiplied pixels are plain RGB.
    let rgb = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|pixel| [pixel[0], pixel[1], pixel[2]])
        .collect();
    Ok(DecodedImage::from_rgb8(width, height, rgb, false))
}

/// Refuses an SVG whose elements or references nest beyond the budgets, before the renderer
/// (which recurses through both) sees it.
fn check_svg_nesting(bytes: &[u8]) -> Result<(), DeriveError> {
    use std::collections::HashMap;
    let text = std::str::from_utf8(bytes)
        .map_err(|_| DeriveError::Decode("the SVG is not UTF-8 text".to_string()))?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: MAX_SVG_ELEMENTS * 4,
        ..roxmltree::ParsingOptions::default()
    };
    let document =
        roxmltree::Document::parse_with_options(text, options).map_err(|error| match error {
            roxmltree::Error::NodesLimitReached => DeriveError::Budget(format!(
                "too large to draw: more than {MAX_SVG_ELEMENTS} elements"
            )),
            other => DeriveError::Decode(other.to_string()),
        })?;
    // A graph over elements with an id (and the root): an edge of weight 0 to each id'd element
    // inside it, of weight 1 to each id its subtree refers to. The longest path is the chain of
    // references the renderer would follow.
    let mut index: HashMap<&str, usize> = HashMap::new();
    // Each element's owner (nearest id'd element or the root) and depth, parents first.
    let mut owners: HashMap<roxmltree::NodeId, (usize, u32)> = HashMap::new();
    let mut edges: Vec<Vec<(EdgeTarget<'_>, u32)>> = vec![Vec::new()];
    for node in document.descendants().filter(roxmltree::Node::is_element) {
        let (parent_owner, parent_depth) = node
            .parent()
            .and_then(|p| owners.get(&p.id()).copied())
            .unwrap_or((0, 0));
        if parent_depth + 1 > MAX_SVG_ELEMENT_DEPTH {
            return Err(DeriveError::Budget(format!(
                "too deeply nested: elements nest more than {MAX_SVG_ELEMENT_DEPTH} deep"
            )));
        }
        let owner = match node.attribute("id") {
            Some(id) if !index.contains_key(id) => {
                let slot = edges.len();
                edges.push(Vec::new());
                index.insert(id, slot);
                edges[parent_owner].push((EdgeTarget::Slot(slot), 0));
                slot
            }
            _ => parent_owner,
        };
        owners.insert(node.id(), (owner, parent_depth + 1));
        for attribute in node.attributes() {
            let value = attribute.value();
            let target = if attribute.name() == "href" {
                value.strip_prefix('#')
            } else {
                value
                    .split_once("url(#")
                    .and_then(|(_, rest)| rest.split_once(')'))
                    .map(|(id, _)| id.trim_matches(['"', '\'', ' ']))
            };
            if let Some(target) = target {
                edges[owner].push((EdgeTarget::Id(target), 1));
            }
        }
    }
    let mut memo: Vec<Option<u32>> = vec![None; edges.len()];
    let mut visiting = vec![false; edges.len()];
    let chain = longest(0, &edges, &index, &mut memo, &mut visiting, 0);
    if chain > MAX_SVG_REFERENCE_DEPTH {
        return Err(DeriveError::Budget(format!(
            "too deeply nested: masks, clip paths, filters, patterns or uses refer to each other more than {MAX_SVG_REFERENCE_DEPTH} deep"
        )));
    }
    Ok(())
}

/// Where an SVG reference edge leads.
#[derive(Debug, Clone, Copy)]
enum EdgeTarget<'a> {
    Slot(usize),
    Id(&'a str),
}

/// The heaviest path from `slot`, stopping once past the budget; loops count once.
fn longest(
    slot: usize,
    edges: &[Vec<(EdgeTarget<'_>, u32)>],
    index: &std::collections::HashMap<&str, usize>,
    memo: &mut [Option<u32>],
    visiting: &mut [bool],
    so_far: u32,
) -> u32 {
    if let Some(known) = memo[slot] {
        return known;
    }
    if visiting[slot] || so_far > MAX_SVG_REFERENCE_DEPTH {
        return 0;
    }
    visiting[slot] = true;
    let mut best = 0;
    for (target, weight) in &edges[slot] {
        let next = match target {
            EdgeTarget::Slot(next) => Some(*next),
            EdgeTarget::Id(id) => index.get(id).copied(),
        };
        let below = next.map_or(0, |next| {
            longest(next, edges, index, memo, visiting, so_far + weight)
        });
        best = best.max(weight + below);
        if so_far + best > MAX_SVG_REFERENCE_DEPTH {
            break;
        }
    }
    visiting[slot] = false;
    if so_far + best <= MAX_SVG_REFERENCE_DEPTH {
        memo[slot] = Some(best);
    }
    best
}
