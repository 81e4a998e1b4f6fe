//! Snippets: centred on the best match, bold only what matched, each part in its language.

use super::*;

/// The words of `typed` as the search gathers them (folded, exact when typed with diacritics).
fn typed(text: &str) -> QueryWords {
    let mut words = QueryWords::default();
    let phrase = text.starts_with('"');
    let text = text.trim_matches('"');
    let exact: Vec<String> = text.split_whitespace().map(lowercase).collect();
    let folded: Vec<String> = exact.iter().map(|w| fold(w)).collect();
    let accented = exact != folded;
    words.add_atom(phrase, &folded, accented.then_some(&exact[..]), &[]);
    words
}

fn vi(text: &str) -> Vec<Value<'_>> {
    vec![(text, Lang::Vi)]
}

#[test]
fn unaccented_queries_highlight_the_accented_original() {
    let text = "Làng Nha Xá nổi tiếng với nghề dệt lụa tơ tằm.";
    let words = query_words("det lua");
    assert_eq!(
        snippet(&vi(text), &words, Lang::Vi).unwrap(),
        "Làng Nha Xá nổi tiếng với nghề <b>dệt</b> <b>lụa</b> tơ tằm."
    );
    assert_eq!(
        snippet(&vi(text), &typed("Đệt LỤA"), Lang::Vi).unwrap(),
        snippet(&vi(text), &words, Lang::Vi).unwrap()
    );
}

#[test]
fn long_texts_are_cut_around_the_match_and_escaped() {
    let text = format!(
        "{} <trống> đẹp {}",
        "mở đầu ".repeat(50),
        "kết thúc ".repeat(100)
    );
    let shown = snippet(&vi(&text), &query_words("trong"), Lang::Vi).unwrap();
    assert!(shown.starts_with('…'), "{shown}");
    assert!(shown.contains("&lt;<b>trống</b>&gt; đẹp"), "{shown}");
    assert!(shown.ends_with('…'));
    assert!(shown.chars().count() < 320);
}

#[test]
fn no_match_gives_none() {
    assert_eq!(
        snippet(&vi("Trống Đọi Tam"), &query_words("lụa"), Lang::Vi),
        None
    );
    assert_eq!(
        snippet(&vi("Trống"), &QueryWords::default(), Lang::Vi),
        None
    );
}

/// The `search-snippet-exact-tone` case.
#[test]
fn a_word_typed_with_its_tone_centres_the_snippet_and_is_the_only_one_bold() {
    let text = "Trong sân đình, các cụ ngồi trong bóng mát, bàn chuyện trong họ, chuyện trong xóm, \
                chuyện trong nhà. Con cháu đi lại trong ngõ, trẻ nhỏ chơi trong vườn, người lớn \
                ngồi uống nước trong nhà tiền tế. Đến giờ tế, tiếng trống cái vang lên, đoàn rước \
                kiệu đi quanh làng.";
    assert_eq!(
        snippet(&vi(text), &typed("trống"), Lang::Vi).unwrap(),
        "…trong nhà tiền tế. Đến giờ tế, tiếng <b>trống</b> cái vang lên, đoàn rước kiệu đi \
         quanh làng."
    );
    // Capitals and NFD are the same word typed.
    assert_eq!(
        snippet(&vi(text), &typed("TRO\u{302}\u{301}NG"), Lang::Vi),
        snippet(&vi(text), &typed("trống"), Lang::Vi)
    );
    // Typed without its tone, every look-alike is a match, and the first is shown.
    let folded = snippet(&vi(text), &typed("trong"), Lang::Vi).unwrap();
    assert!(folded.starts_with("<b>Trong</b> sân đình"), "{folded}");
    // With no exact form in the text, its look-alikes are bold.
    assert_eq!(
        snippet(&vi("Ngồi trong sân."), &typed("trống"), Lang::Vi).unwrap(),
        "Ngồi <b>trong</b> sân."
    );
}

/// The `search-stem-prefix-highlight` case.
#[test]
fn vietnamese_syllables_are_never_matched_as_prefixes() {
    let text = "Thợ làm nhanh, nhân công đông, nhang khói thông thường. Ngôi nhà thờ họ nằm giữa \
                làng, thờ tổ nghề.";
    let mut words = typed("nhà");
    // The English analyzer's stem of the same word, as the search adds it.
    words.add_stem("nha");
    assert_eq!(
        snippet(&vi(text), &words, Lang::Vi).unwrap(),
        "…nhân công đông, nhang khói thông thường. Ngôi <b>nhà</b> thờ họ nằm giữa làng, thờ tổ \
         nghề."
    );
    let mut words = typed("nhà thờ");
    words.add_stem("nha");
    words.add_stem("tho");
    let shown = snippet(&vi(text), &words, Lang::Vi).unwrap();
    assert!(
        shown.ends_with("Ngôi <b>nhà</b> <b>thờ</b> họ nằm giữa làng, <b>thờ</b> tổ nghề."),
        "{shown}"
    );
    assert!(!shown.contains("<b>Thợ</b>") && !shown.contains("<b>thông</b>"));
}

#[test]
fn english_stems_match_english_values_only() {
    let mut words = QueryWords::default();
    words.add("xa");
    words.add_stem("weav");
    let values = [
        ("Silk weaving in Nha Xá, by weavers", Lang::En),
        ("Weavings là từ tiếng Anh, weavexyz không.", Lang::Vi),
    ];
    assert_eq!(
        snippet(&values, &words, Lang::En).unwrap(),
        "Silk <b>weaving</b> in Nha <b>Xá</b>, by <b>weavers</b> <span lang=\"vi\">Weavings là từ tiếng Anh, weavexyz không.</span>"
    );
}

/// The `search-phrase-highlight` case.
#[test]
fn a_phrase_is_bold_and_centred_only_where_its_words_stand_together() {
    let text = "Làng có chợ họp sáng sớm. Người ta bảo nghề phụ nuôi sống nhiều nhà trong mùa \
                nước. Ven đê trồng dâu xanh, bãi bồi rộng, đường làng lát gạch, cổng đình quay về \
                hướng nam, giếng cổ vẫn còn nước trong. Mùa hè có hội bơi chải, mùa đông có hội \
                vật, cụ già kể chuyện cũ cho con cháu nghe dưới gốc đa đầu xóm. Nhà văn hoá mới \
                xây ở giữa xóm trên, cạnh trường mẫu giáo và trạm xá của xã. Đến nay nơi này đã \
                thành một làng nghề dệt có tiếng trong vùng.";
    let expected = "…xã. Đến nay nơi này đã thành một <b>làng</b> <b>nghề</b> \
                    <b>dệt</b> có tiếng trong vùng.";
    assert_eq!(
        snippet(&vi(text), &typed("\"làng nghề dệt\""), Lang::Vi).unwrap(),
        expected
    );
    assert_eq!(
        snippet(&vi(text), &typed("\"lang nghe det\""), Lang::Vi).unwrap(),
        expected
    );
    // Not together in this order: nothing to show.
    assert_eq!(snippet(&vi(text), &typed("\"dệt nghề\""), Lang::Vi), None);
}

/// The `search-lang-of-parts` case.
#[test]
fn parts_in_another_language_than_the_page_are_tagged_and_the_page_language_wins() {
    let values = [
        ("Lacquer screens inlaid with eggshell.", Lang::En),
        ("Bình phong sơn mài khảm vỏ trứng.", Lang::Vi),
    ];
    let mut words = typed("lacquer");
    words.add_stem("lacquer");
    assert_eq!(
        snippet(&values, &words, Lang::Vi).unwrap(),
        "<span lang=\"en\"><b>Lacquer</b> screens inlaid with eggshell.</span> Bình phong sơn \
         mài khảm vỏ trứng."
    );
    assert_eq!(
        snippet(&values, &words, Lang::En).unwrap(),
        "<b>Lacquer</b> screens inlaid with eggshell. <span lang=\"vi\">Bình phong sơn mài khảm \
         vỏ trứng.</span>"
    );
    // A word in both: the passage in the page's language.
    let both = [("Made in Hạ Thái.", Lang::En), ("Làm ở Hạ Thái.", Lang::Vi)];
    let words = typed("hạ thái");
    assert_eq!(
        snippet(&both, &words, Lang::Vi).unwrap(),
        "Làm ở <b>Hạ</b> <b>Thái</b>."
    );
    assert_eq!(
        snippet(&both, &words, Lang::En).unwrap(),
        "Made in <b>Hạ</b> <b>Thái</b>. <span lang=\"vi\">Làm ở <b>Hạ</b> <b>Thái</b>.</span>"
    );
    assert_eq!(
        opening(&values, Lang::Vi),
        "Bình phong sơn mài khảm vỏ trứng."
    );
    assert_eq!(
        opening(&values[..1], Lang::Vi),
        "<span lang=\"en\">Lacquer screens inlaid with eggshell.</span>"
    );
}
