//! One table per construction the extractor must read, with sentences written
//! for these tests (not taken from the corpus). Each row: the text and the
//! connection events it must give, as `who→with` canonical names.

mod common;

use common::{pairs, run_text};

fn check(rows: &[(&str, &[&str])]) {
    for (text, want) in rows {
        let doc = run_text(text, "2024-09-06");
        assert_eq!(pairs(&doc), *want, "{text}");
    }
}

#[test]
fn an_enumeration_comma_between_whole_clauses_ends_a_clause() {
    check(&[
        (
            "这一年，拼多多接入微信支付、抖音在支付宝上线小程序、顺丰入驻淘宝。",
            &["拼多多→微信支付", "抖音→支付宝", "顺丰→淘宝"],
        ),
        (
            "京东与快手签署合作协议、美团与百度达成合作。",
            &["京东→快手", "美团→百度"],
        ),
        // Between list items it stays a list.
        (
            "饿了么、优酷接入微信支付、支付宝。",
            &["饿了么,优酷→微信支付,支付宝"],
        ),
        (
            "京东支持微信支付、支付宝扫码付款。",
            &["京东→微信支付,支付宝"],
        ),
    ]);
    // Each clause takes its own channel.
    let doc = run_text("拼多多接入微信支付、抖音在支付宝上线小程序。", "2024-09-06");
    let types: Vec<_> = doc.events.iter().map(|e| e.how.kind.as_str()).collect();
    assert_eq!(types, ["payment", "mini_program"]);
}

#[test]
fn enumerations() {
    check(&[
        (
            "京东、拼多多、唯品会等平台宣布接入云闪付。",
            &["京东,拼多多,唯品会→云闪付"],
        ),
        (
            "腾讯旗下的QQ音乐、腾讯视频已上线支付宝小程序。",
            &["QQ音乐,腾讯视频→支付宝"],
        ),
        ("抖音和快手的广告可以跳转京东App。", &["抖音,快手→京东"]),
        (
            "广州地铁支持绑定支付宝、微信支付或云闪付。",
            &["广州地铁→支付宝,微信支付,云闪付"],
        ),
        // The list's parent named after it is not the subject.
        (
            "闲鱼、盒马等阿里巴巴旗下应用陆续接入了微信支付。",
            &["闲鱼,盒马→微信支付"],
        ),
    ]);
}

#[test]
fn bilateral_cooperation() {
    check(&[
        ("今年3月，小红书与京东达成战略合作。", &["小红书→京东"]),
        (
            "网易云音乐和腾讯音乐完成版权互通。",
            &["网易云音乐→腾讯音乐"],
        ),
        ("支付宝完成与云闪付的条码互认。", &["支付宝→云闪付"]),
    ]);
}

#[test]
fn one_side_opens_to_the_other() {
    check(&[
        ("拼多多上线了微信小程序。", &["拼多多→微信"]),
        ("网易游戏向快手全面开放直播授权。", &["网易游戏→快手"]),
        ("华为支付可以在京东使用。", &["华为支付→京东"]),
        ("腾讯会议可以通过钉钉打开。", &["腾讯会议→钉钉"]),
    ]);
}

#[test]
fn pairs_listed_side_by_side_stay_pairs() {
    check(&[(
        "去年，小红书与京东、B站与淘宝两组合作先后落地。",
        &["小红书→京东", "B站→淘宝"],
    )]);
}

#[test]
fn joint_announcements() {
    check(&[(
        "阿里巴巴联合美团、携程、滴滴等企业宣布开放互通。",
        &["阿里巴巴→美团,携程,滴滴"],
    )]);
}

#[test]
fn respectively_with_and_ellipsis() {
    check(&[(
        "2023年，小红书分别与淘宝和京东建立合作，与拼多多也达成合作。",
        &["小红书→淘宝,京东", "小红书→拼多多"],
    )]);
}

#[test]
fn back_reference_to_both_parties() {
    let text = "2022年5月，抖音与饿了么宣布达成合作。今年8月，双方续签。";
    assert_eq!(
        pairs(&run_text(text, "2024-09-06")),
        ["抖音→饿了么", "抖音→饿了么"]
    );
    assert_eq!(
        whens(text),
        [Some("2022-05".into()), Some("2024-08".into())]
    );
}

#[test]
fn parent_phrases_give_the_members() {
    let doc = run_text("阿里巴巴旗下饿了么、优酷等应用接入微信支付。", "2024-09-06");
    assert_eq!(pairs(&doc), ["饿了么,优酷→微信支付"]);
    let groups: Vec<_> = doc
        .entities
        .iter()
        .map(|e| (e.name.as_str(), e.group.as_deref()))
        .collect();
    assert!(groups.contains(&("饿了么", Some("阿里巴巴"))), "{groups:?}");
}

#[test]
fn comparisons_speculation_denials_and_blocking_are_not_events() {
    check(&[
        (
            "今年二季度，腾讯营收同比增长8%，阿里巴巴营收同比增长4%。",
            &[],
        ),
        ("相比京东，拼多多的用户增长更快。", &[]),
        ("业内预计，拼多多或将接入支付宝。", &[]),
        ("有传闻称抖音将与淘宝合作，双方均未回应。", &[]),
        ("美团方面表示，目前仍未接入微信支付。", &[]),
        ("京东已提交申请接入抖音小程序，正在等待审核。", &[]),
        ("微信曾屏蔽抖音链接。", &[]),
        ("网易云音乐与QQ音乐并未达成转授权合作。", &[]),
        // A question asks; it does not report.
        ("在拼多多买菜能用支付宝付款了吗？", &[]),
        ("有用户询问京东何时支持云闪付付款。", &[]),
        // An opinion on what will come, and a connection not made yet.
        ("我个人判断，拼多多接入支付宝只是时间问题。", &[]),
        ("拼多多接入支付宝只是时间问题。", &[]),
        // What will happen once a plan is approved has not happened.
        ("方案获批后，届时用户可用京东支付扫描美团收款码。", &[]),
    ]);
}

#[test]
fn a_connection_with_a_limitation_is_still_an_event() {
    check(&[
        (
            "淘宝已向部分用户开放微信支付，目前仍在试行中。",
            &["淘宝→微信支付"],
        ),
        // A pilot is a start, not a plan.
        (
            "京东开始在部分门店试点数字人民币付款。",
            &["京东→数字人民币"],
        ),
    ]);
}

#[test]
fn an_obstacle_removed_is_no_denial() {
    check(&[(
        "如今，京东分享到微信的商品链接不再需要复制到浏览器打开。",
        &["京东→微信"],
    )]);
}

#[test]
fn ads_placed_on_a_platform_named_with_its_ad_arm() {
    check(&[(
        "第三季度，京东、拼多多等电商平台都加大了在巨量引擎的投放。",
        &["京东,拼多多→巨量引擎"],
    )]);
}

#[test]
fn a_time_running_up_to_now_leaves_the_next_date_in_the_publication_year() {
    assert_eq!(
        whens("自2023年9月监管部门发文以来，平台互通已推进一年。9月12日起，京东开放了云闪付。"),
        [Some("2024-09-12".into())]
    );
}

#[test]
fn a_channel_said_to_be_unneeded_is_not_the_channel() {
    // 无需跳转: bought in place, not through a link; no other cue there.
    assert_eq!(
        how_types("快手与京东达成合作，快手用户无需跳转即可购买京东商品，并享受京东的配送服务。"),
        ["cooperation"]
    );
}

#[test]
fn a_wallet_listed_among_the_apps_is_no_payment_cue() {
    // 支付宝 acts here as one app among others, in the list and named again
    // in the next clause: no payment channel.
    assert_eq!(
        how_types("支付宝、小红书等应用宣布全面启动鸿蒙原生应用开发，支付宝是其中进度最快的之一。"),
        ["cooperation"]
    );
}

#[test]
fn a_year_end_review_keeps_its_months_in_its_own_year() {
    assert_eq!(
        whens_at(
            "今年以来，平台互通明显提速。\n一月，京东接入云闪付。\n三月，美团接入支付宝。",
            "2024-12-30"
        ),
        [Some("2024-01".into()), Some("2024-03".into())]
    );
    // A month on its own, so near the new year, is still next year's.
    assert_eq!(
        whens_at("一月，京东接入云闪付。", "2024-12-30"),
        [Some("2025-01".into())]
    );
}

#[test]
fn an_event_told_as_earlier_takes_no_time_from_the_clause_after_it() {
    assert_eq!(
        whens("拼多多、美团此前已陆续接入云闪付，今年3月起交易量增长了两倍。"),
        [None]
    );
}

#[test]
fn a_sentence_naming_no_party_that_ends_on_its_time_dates_the_next() {
    assert_eq!(
        whens("变化发生在今年3月。京东宣布接入云闪付。"),
        [Some("2024-03".into())]
    );
    // Not one that names a party of its own, nor one going on after its time.
    assert_eq!(
        whens("美团的变化发生在今年3月。京东宣布接入云闪付。"),
        [None]
    );
    assert_eq!(whens("今年3月营收增长了两成。京东宣布接入云闪付。"), [None]);
}

#[test]
fn a_sentence_going_on_from_a_restatement_takes_its_time() {
    assert_eq!(
        whens(
            "云闪付的起点要追溯到去年3月。当时云闪付开始试运行。京东、美团成为首批接入云闪付的平台。"
        ),
        [Some("2023-03".into())]
    );
    // A restatement opening the text has nothing to restate.
    assert_eq!(whens("当时云闪付开始试运行。京东接入了云闪付。"), [None]);
}

#[test]
fn an_anniversary_does_not_date_the_deal() {
    assert_eq!(whens("昨日是京东与美团宣布战略合作五周年。"), [None]);
    assert_eq!(
        whens("昨日京东与美团宣布战略合作。"),
        [Some("2024-09-05".into())]
    );
}

#[test]
fn a_time_describing_another_clauses_noun_dates_no_event() {
    assert_eq!(
        whens("B站二季度的广告收入增长了三成，而与淘宝、京东的合作则主要带来了电商广告。"),
        [None]
    );
    // In the event's own clause it does.
    assert_eq!(
        whens("B站与淘宝二季度的合作带来了新增广告收入。"),
        [Some("2024-Q2".into())]
    );
}

#[test]
fn a_service_carried_out_by_others_connects_them_with_the_topic() {
    check(&[(
        "去年起，快手在杭州、南京和苏州三座城市试点同城零售业务，骑手配送则由达达和闪送等运力承接。",
        &["达达,闪送→快手"],
    )]);
}

#[test]
fn a_name_inside_a_longer_word_is_not_that_name() {
    let doc = run_text("京东方与华为达成合作。", "2024-09-06");
    assert!(
        doc.entities.iter().all(|e| e.name != "京东"),
        "{:?}",
        doc.entities
    );
}

#[test]
fn times_follow_the_event() {
    let at = |text: &str| -> Vec<Option<String>> {
        run_text(text, "2024-09-06")
            .events
            .iter()
            .map(|e| e.when.as_ref().and_then(|w| w.value.clone()))
            .collect()
    };
    // A timeline bullet lends its date to every sentence in it.
    assert_eq!(
        at("- ◆2021年9月 工信部发布通知。饿了么接入微信支付。"),
        [Some("2021-09".into()), Some("2021-09".into())]
    );
    // 同年 takes the year of the story; 这意味着 restates the previous sentence.
    assert_eq!(
        at("2019年7月，工信部启动整治。同年9月，微信开放外链。这意味着抖音链接可以在微信打开。")
            .len(),
        2
    );
    // 此后 fixes no calendar time.
    assert_eq!(
        at("2021年，云闪付接入淘宝。此后，淘宝也接入了翼支付。"),
        [Some("2021".into()), None]
    );
}

#[test]
fn newcomers_outside_the_gazetteer_are_parties() {
    let doc = run_text(
        "“星河出行”宣布接入云闪付，宁波海曙农村商业银行也已接入银联网络。",
        "2024-09-06",
    );
    assert_eq!(
        pairs(&doc),
        ["星河出行→云闪付", "宁波海曙农村商业银行→中国银联"]
    );
    let unknown: Vec<_> = doc
        .entities
        .iter()
        .filter(|e| e.kind == "unknown")
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(unknown, ["星河出行", "宁波海曙农村商业银行"]);
}

#[test]
fn descriptions_and_slogans_are_not_names() {
    let doc = run_text(
        "用户可以扫描“面对面二维码”付款，各家电商平台和中小银行都在观望。",
        "2024-09-06",
    );
    assert!(
        doc.entities.iter().all(|e| e.kind != "unknown"),
        "{:?}",
        doc.entities
    );
}

#[test]
fn that_company_refers_to_the_subject_named_before() {
    let doc = run_text(
        "2023年3月，哈啰发布新版App。该公司随后接入了云闪付。",
        "2024-09-06",
    );
    assert_eq!(pairs(&doc), ["哈啰→云闪付"]);
}

#[test]
fn recently_is_an_approximate_time_without_a_value() {
    let doc = run_text(
        "- ◆2021年9月 工信部发布通知。近日，哈啰已接入微信支付。",
        "2024-09-06",
    );
    let event = doc
        .events
        .iter()
        .find(|e| e.kind == "connection")
        .expect("an event");
    let when = event.when.as_ref().expect("a when");
    assert_eq!(
        (when.text.as_str(), when.value.as_deref(), when.approximate),
        ("近日", None, true)
    );
    assert!(
        doc.dates.iter().all(|d| d.text != "近日"),
        "{:?}",
        doc.dates
    );
}

#[test]
fn ascii_punctuation_and_full_width_digits_read_like_their_usual_forms() {
    // `;` ends a sentence as `；` does; 双方 restates the deal and its time.
    let doc = run_text(
        "２０２３年３月,京东与快手达成战略合作;双方将打通供应链.",
        "2024-09-06",
    );
    assert_eq!(pairs(&doc), ["京东→快手", "京东→快手"]);
    for event in &doc.events {
        let when = event.when.as_ref().expect("a when");
        assert_eq!(
            (when.text.as_str(), when.value.as_deref()),
            ("２０２３年３月", Some("2023-03"))
        );
    }
}

/// The `how` types of the events, in order.
fn how_types(text: &str) -> Vec<String> {
    run_text(text, "2024-09-06")
        .events
        .iter()
        .map(|e| e.how.kind.clone())
        .collect()
}

/// The dates of a text published on 2024-09-06, as `text = value`.
fn dates(text: &str) -> Vec<String> {
    run_text(text, "2024-09-06")
        .dates
        .into_iter()
        .map(|d| format!("{} = {}", d.text, d.value.as_deref().unwrap_or("null")))
        .collect()
}

#[test]
fn a_time_near_publication_takes_no_earlier_sentences_date() {
    // 前不久 is near the publication, like 近日: no calendar value, and
    // not the 国庆 of the sentence before.
    assert_eq!(
        whens("今年国庆期间，淘宝接入微信支付；前不久，美团上线支付宝小程序。"),
        [Some("2024-10-01".to_string()), None]
    );
}

#[test]
fn an_entrys_title_dates_its_story_from_brackets() {
    // A numbered entry whose title ends with its date in brackets.
    assert_eq!(
        whens("1.阿里系应用接入微信支付（9月中旬）\n饿了么、优酷等应用陆续上线微信支付。"),
        [Some("2024-09".to_string())]
    );
    // A digest's period in brackets dates none of its entries.
    assert_eq!(
        whens("一周要闻（9月2日—9月8日）\n淘宝宣布接入微信支付。"),
        [None]
    );
}

#[test]
fn a_periods_end_is_no_day_to_count_from() {
    // 截至9月30日 ends the reported quarter; 同日 is the day of the report.
    assert_eq!(
        whens_at(
            "阿里巴巴昨日发布截至9月30日的季度业绩。同日，饿了么宣布接入微信支付。",
            "2023-11-17"
        ),
        [Some("2023-11-16".to_string())]
    );
    // Without 截至, the date is the story's day.
    assert_eq!(
        whens_at(
            "9月30日，阿里巴巴发布公告。同日，饿了么宣布接入微信支付。",
            "2023-11-17"
        ),
        [Some("2023-09-30".to_string())]
    );
}

/// The `when` values of the connection events, in order.
fn whens(text: &str) -> Vec<Option<String>> {
    whens_at(text, "2024-09-06")
}

/// The same, for a text published on `published`.
fn whens_at(text: &str, published: &str) -> Vec<Option<String>> {
    run_text(text, published)
        .events
        .iter()
        .filter(|e| e.kind == "connection")
        .map(|e| e.when.as_ref().and_then(|w| w.value.clone()))
        .collect()
}

#[test]
fn the_other_side_can_be_the_topic_of_the_sentence() {
    check(&[
        (
            "2019年3月，拼多多上线电子面单系统，中通、圆通等快递企业当月即完成系统对接。",
            &["中通快递,圆通→拼多多"],
        ),
        // Without a topic there is no other side, and no pairing among the list.
        ("中通、圆通完成系统对接。", &[]),
    ]);
}

#[test]
fn qi_stands_for_the_party_named_before_but_not_inside_other_words() {
    check(&[
        (
            "携程很早就布局多端。其微信小程序2017年即已上线。",
            &["携程→微信"],
        ),
        ("淘宝很早就开放了。其他平台也已接入微信支付。", &[]),
        (
            "脱胎于美团的猫眼开始独立运营，其App当月接入微信支付。",
            &["猫眼→微信支付"],
        ),
    ]);
}

#[test]
fn a_party_related_to_every_other_side_leaves_only_its_own_pairs() {
    // 爱奇艺 belongs to 百度: only 58同城 joins 百度's alliance as a connection.
    check(&[(
        "百度牵头成立开源联盟，爱奇艺、58同城等成为首批成员。",
        &["58同城→百度"],
    )]);
}

#[test]
fn a_date_heading_dates_the_entry_below_it() {
    let text = "■ 2022年3月\n百度网盘上线文件直发微信功能。\n";
    assert_eq!(whens(text), [Some("2022-03".to_string())]);
}

#[test]
fn counted_days_and_weeks_resolve_against_the_story_and_the_publication() {
    assert_eq!(
        dates("9月1日，淘宝宣布新规。两天后，微信支付宣布支持淘宝。上周六，美团接入云闪付。"),
        [
            "9月1日 = 2024-09-01",
            "两天后 = 2024-09-03",
            "上周六 = 2024-08-31",
        ]
    );
}

#[test]
fn a_sentence_moving_time_on_takes_no_time_from_its_timeline_entry() {
    let text = "- ◆2014年3月 腾讯与京东达成战略合作。此后，京东接入微信支付。\n";
    assert_eq!(whens(text), [Some("2014-03".to_string()), None]);
}

/// The output for a text with no publication date given (neither flag nor
/// file name).
fn undated(text: &str) -> extract::output::DocumentOut {
    let doc = extract::Document::new("000_undated.txt", text, None);
    extract::output::document(&common::PIPELINE, &common::PIPELINE.run(&doc))
}

/// Asserts the publication date inferred from `text` and its dates' values.
fn assert_undated(text: &str, published: &str, values: &[Option<&str>]) {
    let out = undated(text);
    assert_eq!(out.published.value.as_deref(), Some(published), "{text}");
    let got: Vec<_> = out.dates.iter().map(|d| d.value.as_deref()).collect();
    assert_eq!(got, values, "{text}");
}

/// The inferred publication date of a text.
fn published(text: &str) -> Option<String> {
    undated(text).published.value
}

#[test]
fn an_article_about_yesterday_was_written_the_day_after_the_latest_day_it_names() {
    assert_eq!(
        published("昨天，淘宝发布公告，该公告于2024年9月5日公示。"),
        Some("2024-09-06".to_string())
    );
    // Today and yesterday both: the named day is taken as it is.
    assert_eq!(
        published("今天，淘宝表示，昨天发布的公告于2024年9月5日公示。"),
        Some("2024-09-05".to_string())
    );
    assert_eq!(
        published("淘宝的公告于2024年9月5日公示。"),
        Some("2024-09-05".to_string())
    );
}

#[test]
fn a_year_reported_whole_dates_the_article_in_a_later_year() {
    // A fourth quarter's results: the yearless day is in the next year.
    let out = undated("快手科技3月29日晚发布2021年第四季度及全年业绩。快手与美团的合作持续推进。");
    assert_eq!(out.published.value.as_deref(), Some("2022-03-29"));
    assert_eq!(out.dates[0].value.as_deref(), Some("2022-03-29"));
    // A whole year's figure, and figures up to a year's end.
    assert_eq!(
        published("微信支付外卡交易笔数3月份已超过2023年全年的一半。").as_deref(),
        Some("2024-03-31")
    );
    assert_eq!(
        published("截至2024年底，受理云闪付的商户超过3000万户。").as_deref(),
        Some("2025-01-01")
    );
    // Announced for later, the quarter is no sign of the article's year.
    assert_eq!(
        published("2023年，淘宝开放微信支付内测。淘宝预计2024年第四季度全面上线。").as_deref(),
        Some("2023-12-31")
    );
}

#[test]
fn a_relative_year_beside_the_year_it_names_dates_the_article() {
    assert_undated(
        "三年前，也就是2015年10月，QQ音乐与网易云音乐达成转授权。2月9日，双方再度握手。",
        "2018-02-09",
        &[Some("2015"), Some("2015-10"), Some("2018-02-09")],
    );
    // Not beside it: 三年前 tells nothing of 2015.
    assert_eq!(
        published("三年前，QQ音乐曾有类似尝试，那是2015年10月以后的事。").as_deref(),
        Some("2015-10-31")
    );
}

#[test]
fn a_dateline_may_space_its_numbers_and_name_the_time_of_day() {
    for text in [
        "IT之家 9 月 5 日消息，淘宝将开放微信支付。2024年2月，淘宝已开放部分商家。",
        "新浪科技讯 9月5日上午消息，淘宝开放微信支付。2024年2月，淘宝已开放部分商家。",
    ] {
        let out = undated(text);
        assert_eq!(
            (out.published.value.as_deref(), out.published.basis),
            (Some("2024-09-05"), Some(extract::Basis::Dateline)),
            "{text}"
        );
    }
}

#[test]
fn a_weekday_beside_a_yearless_date_picks_its_year() {
    // 2022-07-25 was a Monday; the years written out end in 2020.
    let out = undated("本周一（7月25日），快手与美团宣布互联互通。2020年，双方已有接触。");
    assert_eq!(out.published.value.as_deref(), Some("2022-07-25"));
    // 2025-07-05 was a Saturday.
    assert_eq!(
        published("7月5日，当天正值周六，淘宝闪购订单创新高。2021年，饿了么接入支付宝。")
            .as_deref(),
        Some("2025-07-05")
    );
    // A dateline without a year takes the year the weekday gave.
    let out = undated("本报北京8月6日电 7月5日（周六），订单创新高。2021年，饿了么接入支付宝。");
    assert_eq!(
        (out.published.value.as_deref(), out.published.basis),
        (Some("2025-08-06"), Some(extract::Basis::Dateline))
    );
}

#[test]
fn a_milestone_dated_relatively_dates_the_article() {
    // 淘宝 opened 微信支付 to all sellers in 2024-09 (a milestone of the
    // rules): a year later, the text is from 2025, and its other
    // relative times with it.
    assert_undated(
        "去年9月，淘宝向全部商家开放微信支付。今年3月，闲鱼也接入了微信支付。",
        "2025-03-31",
        &[Some("2024-09"), Some("2025-03")],
    );
    // Without its year, the milestone's month is in the milestone's year.
    assert_eq!(
        published("8月18日，抖音与饿了么宣布达成合作。").as_deref(),
        Some("2022-08-18")
    );
    // A regulator's order is known by its words: 工信部 ordered the
    // platforms to stop blocking links in 2021-09.
    assert_eq!(
        published("自去年9月工信部要求各平台解除屏蔽网址链接以来，淘宝与微信逐步互通。").as_deref(),
        Some("2022-01-01")
    );
    assert_eq!(published("去年9月，工信部召开座谈会。"), None);
    // Another month of the same pair is another event: no sign of the year.
    assert_eq!(published("去年3月，淘宝开放微信支付内测。"), None);
    // The text's own events with their year are milestones too.
    assert_eq!(
        published("2023年9月，抖音商城接入云闪付。去年9月抖音商城接入云闪付后，订单增长。")
            .as_deref(),
        Some("2024-01-01")
    );
    // A year written out is not overruled by a later one's month.
    assert_eq!(
        published("2023年9月，淘宝开放微信支付。").as_deref(),
        Some("2023-09-30")
    );
}

#[test]
fn a_quoted_term_being_defined_is_no_party() {
    check(&[
        (
            "问：什么是“外卡内绑”和“外包内用”？答：“外包内用”则是指境外钱包在境内扫码付款，已接入支付宝。",
            &[],
        ),
        // Quoted without being defined, a newcomer is still a party.
        ("“甬城出行”接入支付宝。", &["甬城出行→支付宝"]),
    ]);
}

#[test]
fn the_topic_may_be_an_earlier_events_subject() {
    check(&[(
        "华为的合作方是中国银联，首批支持的银行有十余家，包括建设银行、招商银行等。",
        &["华为→中国银联", "建设银行,招商银行→华为"],
    )]);
}

#[test]
fn a_deal_like_the_one_before_has_its_channel() {
    assert_eq!(
        how_types("今年5月，优酷与抖音达成版权合作。两个月后，芒果TV也与抖音达成类似合作。"),
        ["content", "content"]
    );
    // Without 类似 the second deal says nothing about its channel.
    assert_eq!(
        how_types("今年5月，优酷与抖音达成版权合作。两个月后，芒果TV也与抖音达成合作。"),
        ["content", "cooperation"]
    );
}

#[test]
fn a_platforms_payment_code_is_its_wallets() {
    check(&[
        (
            "从本月起，用户可以用和包扫描店内的微信收款码付款。",
            &["和包→微信支付"],
        ),
        // The platform itself, with no code after it, stays the platform.
        ("去年，和包接入了微信。", &["和包→微信"]),
    ]);
}

#[test]
fn a_follower_takes_the_other_side_of_the_event_it_follows() {
    check(&[(
        "2023年11月，翼支付与微信支付完成条码互通，联通支付次日跟进。",
        &["翼支付→微信支付", "沃支付→微信支付"],
    )]);
}

/// 继A之后, B也…: A had joined the same side earlier. Its time is not the
/// sentence's: A's event stays undated while B's takes the date.
#[test]
fn those_who_went_before_joined_too_at_an_unknown_time() {
    check(&[
        (
            "继饿了么、优酷之后，闲鱼也接入了微信支付。",
            &["饿了么,优酷→微信支付", "闲鱼→微信支付"],
        ),
        (
            "京东继淘宝之后上线了微信小程序。",
            &["淘宝→微信", "京东→微信"],
        ),
    ]);
    let doc = run_text(
        "9月12日，继美团之后，高德也上线了支付宝小程序。",
        "2024-09-20",
    );
    let when: Vec<(String, Option<String>)> = doc
        .events
        .iter()
        .map(|e| {
            (
                e.who[0].name.clone(),
                e.when.as_ref().and_then(|w| w.value.clone()),
            )
        })
        .collect();
    assert_eq!(
        when,
        [
            ("美团".to_string(), None),
            ("高德地图".to_string(), Some("2024-09-12".to_string()))
        ]
    );
}

/// A denial after 但/不过 about parties of its own leaves the event before
/// it standing; without parties of its own it denies the whole sentence.
#[test]
fn a_denial_after_but_concerns_its_own_clause() {
    check(&[
        (
            "去年8月，小红书与天猫联合推出种草计划，但笔记至今仍未开放淘宝外链。",
            &["小红书→天猫"],
        ),
        ("美团与支付宝宣布合作，但至今仍未实现。", &[]),
        ("美团与支付宝宣布合作，但支付宝至今仍未接入美团。", &[]),
    ]);
}

/// Accounts, ads and cards: B keeps A's login; A's merchants advertise on
/// B; cards bound in a platform are bound in its wallet.
#[test]
fn logins_kept_ads_placed_and_cards_bound() {
    check(&[
        ("快手App一直保留微信、QQ账号登录。", &["快手→微信,QQ"]),
        ("京东商家可以在抖音投放信息流广告。", &["京东→抖音"]),
        (
            "境外用户可以在微信中绑定Visa、万事达和JCB卡。",
            &["微信支付→Visa,万事达,JCB"],
        ),
    ]);
}

/// A government office the gazetteer lacks is named whole, to its 局.
#[test]
fn an_office_is_named_to_its_end() {
    check(&[(
        "3月1日起，杭州市文化广电旅游局联合支付宝在景区设立服务点。",
        &["杭州市文化广电旅游局→支付宝"],
    )]);
}

#[test]
fn a_question_reports_nothing() {
    check(&[
        (
            "还有读者问：在微信里收到好友分享的淘宝链接，能不能直接点开购买？",
            &[],
        ),
        ("在微信里，好友分享的淘宝链接可以直接打开。", &["淘宝→微信"]),
    ]);
}

#[test]
fn a_platform_one_pays_with_is_its_wallet() {
    check(&[
        ("消费者在淘宝下单时可以选择用微信付款。", &["微信支付→淘宝"]),
        // Paying at a platform is not paying with its wallet.
        ("消费者在京东付款时可以选择云闪付。", &["云闪付→京东"]),
    ]);
}

#[test]
fn a_rough_count_of_years_back_is_no_calendar_year() {
    assert_eq!(
        dates("两三年前，淘宝就开始接入京东物流。三年前，微信开放了外链。"),
        ["三年前 = 2021"]
    );
}

#[test]
fn a_wish_is_no_event() {
    check(&[
        ("我们一直想把抖音店铺和天猫店铺的会员体系打通。", &[]),
        ("我们把抖音店铺和天猫店铺的会员体系打通了。", &["抖音→天猫"]),
    ]);
}

#[test]
fn shuangfang_may_stand_for_the_two_sides_of_a_dispute_told_before() {
    check(&[(
        "顺丰关闭了对菜鸟的数据接口。6月3日，在国家邮政局协调下，双方同意全面恢复业务合作。",
        &["顺丰→菜鸟"],
    )]);
}

#[test]
fn a_topic_naming_the_other_side_does_not_act() {
    check(&[
        (
            "淘宝、天猫商家在视频号投放的广告，现在可以一键跳转至淘宝App。",
            &["淘宝,天猫→视频号"],
        ),
        // A topic apart from the other side still acts.
        ("拼多多上线了新版本，支持跳转至微信。", &["拼多多→微信"]),
    ]);
}

#[test]
fn a_year_alone_before_a_quoted_festival_is_its_year() {
    let dates = |text: &str| -> Vec<(String, String)> {
        run_text(text, "2018-07-02")
            .dates
            .into_iter()
            .map(|d| (d.text, d.value.unwrap_or_default()))
            .collect()
    };
    let found = dates("2017年8月，央行下发文件。至于其能否扛住今年“双11”的洪峰，仍需检验。");
    assert!(
        found.contains(&("双11".into(), "2018-11-11".into())),
        "{found:?}"
    );
    // Without the year right before it, the story's year stands.
    let found = dates("2017年8月，央行下发文件。当年的“双11”交易额再创新高。");
    assert!(
        found.contains(&("双11".into(), "2017-11-11".into())),
        "{found:?}"
    );
    // A metro line is no day.
    assert!(dates("首批覆盖1号线、2号线。").is_empty());
}

#[test]
fn a_product_folded_into_its_group_stays_beside_its_sibling() {
    check(&[
        // 美团团购 is 美团 in the gazetteer, yet named in its own right.
        (
            "美团外卖、美团团购的入口至今仍挂在微信支付页面的“九宫格”中。",
            &["美团外卖,美团→微信支付"],
        ),
        // The group written as the group gives way to its members.
        (
            "阿里巴巴、淘宝和天猫接入了微信支付。",
            &["淘宝,天猫→微信支付"],
        ),
    ]);
}

#[test]
fn a_yearless_day_of_a_past_story_does_not_date_the_article() {
    // Apple Pay came to China in 2016-02 (a milestone): 去年 is 2016, the
    // article 2017's. 3月29日 follows 去年2月18日 in the story, so it is
    // 2016's too and says nothing of the day the article was written.
    assert_undated(
        "去年2月18日，苹果与中国银联合作推出的Apple Pay正式在中国上线。一个多月后的3月29日，三星的支付服务也上线了。",
        "2017-01-01",
        &[Some("2016-02-18"), Some("2016-03-29")],
    );
}

#[test]
fn a_milestone_dated_from_the_publication_month_gives_the_month_too() {
    // 淘宝 opened 微信支付 to all sellers in 2024-09: told as last month's
    // news, the article is from 2024-10, and 本月 with it.
    assert_undated(
        "上个月，淘宝向全部商家开放微信支付。本月，闲鱼也接入了微信支付。",
        "2024-10-01",
        &[Some("2024-09"), Some("2024-10")],
    );
    // Told as recent news (近日), the milestone's month is the article's.
    assert_eq!(
        published("近日，抖音与饿了么宣布达成合作。2021年，饿了么接入微信支付。").as_deref(),
        Some("2022-08-01")
    );
    // A month of the pair's that is no milestone still says nothing.
    assert_eq!(published("3月，抖音与饿了么续签合作。"), None);
}

#[test]
fn a_whole_years_figures_say_the_year_is_over() {
    // The year's measure and figure: the article is from a later year.
    for (text, date) in [
        (
            "2023年全国快递业务量完成1320.7亿件。今年3月，顺丰接入拼多多。",
            "2024-03-31",
        ),
        (
            "美团2024年核心本地商业收入超过2500亿元。今年3月，京东接入微信支付。",
            "2025-03-31",
        ),
        (
            "2022年，视频号GMV约为1300亿元。今年3月，京东接入微信支付。",
            "2023-03-31",
        ),
    ] {
        assert_eq!(published(text).as_deref(), Some(date), "{text}");
    }
    // Announced (预计, 有望), a part of the year, or a year running on
    // (以来) is no closed year.
    for text in [
        "2024年GMV有望突破1万亿元。今年3月，京东接入微信支付。",
        "2024年上半年GMV约为1300亿元。今年3月，京东接入微信支付。",
        "2024年以来，GMV约为1300亿元。今年3月，京东接入微信支付。",
    ] {
        let published = published(text).unwrap();
        assert!(published.starts_with("2024-"), "{text}: {published}");
    }
}

#[test]
fn a_one_party_milestone_dates_the_article_without_an_event() {
    // 支付宝 launched 碰一下 in 2024-07: the sentence names the party and the
    // words, though it states no connection.
    assert_eq!(
        published("7月8日，支付宝在上海发布新的支付方式“碰一下”。").as_deref(),
        Some("2024-07-08")
    );
    // A January date is the milestone's year, not the next one.
    assert_eq!(
        published("1月6日，微信支付宣布支持数字人民币。").as_deref(),
        Some("2022-01-06")
    );
}

#[test]
fn markdown_links_and_emphasis_are_read_through() {
    // A scraped article may keep its links and bold type; a link's ? is
    // neither a question nor a sentence's end.
    let text = "据[科技频道](https://tech.example.com/a?id=3)报道，**[淘宝](https://www.taobao.com)**逐步向所有卖家开放[微信支付](https://pay.weixin.qq.com)。";
    let out = run_text(text, "2024-09-06");
    let pairs: Vec<_> = out
        .events
        .iter()
        .map(|e| {
            (
                e.who[0].name.as_str(),
                e.with[0].name.as_str(),
                e.how.trigger.as_str(),
            )
        })
        .collect();
    assert_eq!(pairs, [("淘宝", "微信支付", "开放")]);
    assert!(out.suppressed.is_empty(), "{:?}", out.suppressed);
}

#[test]
fn a_time_stamp_at_the_top_of_the_page_is_its_date() {
    // A clock time after a date below the title: the page's own stamp.
    assert_eq!(
        published("拆墙三年\n\n2024年9月6日 10:23 来源：本网\n\n淘宝接入了微信支付。").as_deref(),
        Some("2024-09-06")
    );
    // Without its year, it is no earlier than a day the text tells of.
    assert_eq!(
        published("拆墙再观察\n\n3月12日 10:21 来源：本网\n\n2021年9月，工信部召开行政指导会。")
            .as_deref(),
        Some("2022-03-12")
    );
    // Down in the story, a clock time is the story's: no dateline.
    let story = undated(
        "拆墙再观察\n\n第一段。\n\n第二段。\n\n第三段。\n\n2024年9月12日 10:00起，淘宝开放微信支付。",
    );
    assert_eq!(story.published.basis, Some(extract::Basis::Inferred));
}

#[test]
fn a_payment_code_further_on_in_the_phrase_is_the_wallets() {
    check(&[
        (
            "云闪付App完成了条码互通，用户可使用云闪付扫描部分微信个人及小微商户收款码完成付款。",
            &["云闪付→微信支付"],
        ),
        // Past a comma the phrase is over: 微信 stays 微信.
        (
            "拼多多上线了微信小程序，用户也能扫描商家收款码。",
            &["拼多多→微信"],
        ),
    ]);
}

#[test]
fn lists_paired_member_by_member() {
    check(&[
        (
            "去年，京东、拼多多分别接入了微信支付和云闪付。",
            &["京东→微信支付", "拼多多→云闪付"],
        ),
        (
            "本月，美团、滴滴依次在支付宝、抖音上线小程序。",
            &["美团→支付宝", "滴滴→抖音"],
        ),
        // 先后 orders them in time: each with both.
        (
            "工商银行和招商银行先后支持微信支付和支付宝。",
            &["工商银行,招商银行→微信支付,支付宝"],
        ),
        // One side against a list: every member.
        ("小红书分别与淘宝和京东建立合作。", &["小红书→淘宝,京东"]),
    ]);
}

#[test]
fn a_party_only_compared_against_is_no_topic() {
    check(&[
        (
            "与美团以自营骑手为主不同，饿了么以众包模式起家，平台上接入了达达和闪送。",
            &["饿了么→达达,闪送"],
        ),
        (
            "和淘宝相比，京东起步更晚，平台上接入了顺丰。",
            &["京东→顺丰"],
        ),
    ]);
}
