//! Component tests in headless Chromium (wasm-bindgen-test): the record editor and the report
//! view render what the core says, and DNS text stays text.

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use postcheck_core::dns::{Answer, AnswerCache, Query, RecordData, RecordType};
use postcheck_core::messages::Lang;
use postcheck_core::report::{CheckInput, Snapshot, build_report};
use postcheck_web::editor::Editor;
use postcheck_web::i18n::provide_lang_value;
use postcheck_web::report_view::{Actions, Sections};
use std::sync::Arc;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element to mount a component into.
fn container() -> web_sys::HtmlElement {
    let element: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&element).unwrap();
    element
}

fn codes(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .filter_map(|element| element.get_attribute("data-code"))
        .collect()
}

#[wasm_bindgen_test]
async fn the_editor_flags_a_broken_record_as_it_is_typed() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_lang_value(RwSignal::new(Lang::En));
        view! { <Editor/> }
    });
    let input: web_sys::HtmlTextAreaElement = root
        .query_selector("#record-input")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_value("v=spf1 ip4:300.1.1.1 -all");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
    let found = codes(&root, "li.finding");
    assert!(found.iter().any(|c| c.starts_with("spf-")), "{found:?}");
    let marked = root
        .query_selector("mark")
        .unwrap()
        .expect("the span is marked");
    assert!(marked.text_content().unwrap().contains("300.1.1.1"));
    input.set_value("v=DMARC1; p=reject");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert!(
        codes(&root, "li.finding").is_empty(),
        "a good record has no findings"
    );
    assert!(root.query_selector(".clean").unwrap().is_some());
}

fn report_of(records: &[(&str, RecordType, &str)], domain: &str) -> postcheck_core::report::Report {
    let (input, snapshot) = answered(records, domain);
    build_report(&input, &snapshot).expect("answered")
}

/// The input and the snapshot of a report on `records` (other names do not exist).
fn answered(records: &[(&str, RecordType, &str)], domain: &str) -> (CheckInput, Snapshot) {
    let input = CheckInput {
        domain: domain.to_owned(),
        ..CheckInput::default()
    };
    let mut snapshot = Snapshot::default();
    loop {
        match build_report(&input, &snapshot) {
            Ok(_) => return (input, snapshot),
            Err(needs) => {
                for query in needs.queries {
                    let data: Vec<RecordData> = records
                        .iter()
                        .filter(|(name, t, _)| *name == query.name && *t == query.record_type)
                        .map(|(_, _, text)| RecordData::Txt(vec![text.as_bytes().to_vec()]))
                        .collect();
                    let answer = if data.is_empty() {
                        Answer::Nxdomain
                    } else {
                        Answer::records(data)
                    };
                    snapshot
                        .answers
                        .insert(Query::new(&query.name, query.record_type), answer);
                }
                for url in needs.fetches {
                    snapshot.fetches.insert(
                        url,
                        postcheck_core::fetch::FetchResult::Failed {
                            reason: "test".into(),
                        },
                    );
                }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn the_report_shows_codes_actions_and_inert_dns_text() {
    let _ = AnswerCache::new();
    let report = Arc::new(report_of(
        &[(
            "example.test",
            RecordType::Txt,
            "v=spf1 include:<img src=x onerror=alert(1)> -all",
        )],
        "example.test",
    ));
    let root = container();
    let for_actions = report.clone();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Actions report=for_actions.clone() lang=Lang::De/>
            <Sections report=report.clone() lang=Lang::De/>
        }
    });
    leptos::task::tick().await;
    let found = codes(&root, ".sections li.finding");
    assert!(found.iter().any(|c| c == "dmarc-none"), "{found:?}");
    assert!(
        codes(&root, ".actions li.action")
            .iter()
            .any(|c| c == "dmarc-none")
    );
    assert!(
        root.query_selector("img").unwrap().is_none(),
        "DNS text became markup"
    );
    assert!(
        root.text_content()
            .unwrap()
            .contains("<img src=x onerror=alert(1)>")
    );
}

/// A failed check says what happened in the page's language, keeps the gateway's code visible,
/// and follows a language switch.
#[wasm_bindgen_test]
async fn a_failed_check_is_explained_in_the_chosen_language() {
    use postcheck_web::api::ApiError;
    use postcheck_web::check::{StatusView, failed};
    let status = RwSignal::new(failed(&ApiError {
        code: "rate-limited".to_owned(),
        message: "too many requests from 192.0.2.0/24".to_owned(),
        retry_after: None,
    }));
    let lang = RwSignal::new(Lang::De);
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_lang_value(lang);
        view! { <StatusView status=status/> }
    });
    leptos::task::tick().await;
    let box_ = root
        .query_selector(".failed")
        .unwrap()
        .expect("no failure shown");
    assert_eq!(
        box_.get_attribute("data-code").as_deref(),
        Some("rate-limited")
    );
    let german = box_.text_content().unwrap();
    assert!(
        german.contains("Minute") && german.contains("(rate-limited)"),
        "{german}"
    );
    assert!(
        !german.contains("192.0.2.0"),
        "the gateway's English text shown: {german}"
    );
    lang.set(Lang::En);
    leptos::task::tick().await;
    let english = root
        .query_selector(".failed")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(english.contains("Try again in a minute"), "{english}");
    status.set(failed(&ApiError {
        code: "network".to_owned(),
        message: String::new(),
        retry_after: None,
    }));
    leptos::task::tick().await;
    let offline = root
        .query_selector(".failed")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(offline.contains("cannot be reached"), "{offline}");
}

/// A report on screen follows a language switch — headline, texts and both links — from what
/// it holds: the snapshot link keeps the packed snapshot it made once and changes its language.
#[wasm_bindgen_test]
async fn a_shown_report_follows_a_language_switch() {
    use postcheck_core::report::SignedSnapshot;
    use postcheck_web::check::{Status, StatusView, inputs_of, shown};
    let (input, snapshot) = answered(
        &[("example.test", RecordType::Txt, "v=spf1 -all")],
        "example.test",
    );
    let signed = SignedSnapshot {
        input,
        snapshot,
        taken_at: 1_764_900_000,
        signature: "00".repeat(32),
    };
    let status = RwSignal::new(Status::Shown(Box::new(
        shown(inputs_of(&signed), signed, false).expect("a whole report"),
    )));
    let lang = RwSignal::new(Lang::De);
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_lang_value(lang);
        view! { <StatusView status=status/> }
    });
    let text = |selector: &str| {
        root.query_selector(selector)
            .unwrap()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    let link = || {
        root.query_selector("a.snapshot-link")
            .unwrap()
            .and_then(|a| a.get_attribute("href"))
    };
    // The browser's deflate answers in its own time.
    for _ in 0..100 {
        if link().is_some() {
            break;
        }
        let wait = js_sys::Promise::new(&mut |resolve, _| {
            let window = web_sys::window().unwrap();
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(wait).await.unwrap();
    }
    let german = link().expect("the snapshot link");
    assert!(german.contains("?lang=de#s="), "{german}");
    assert!(
        text(".taken").contains("DNS gelesen am"),
        "{}",
        text(".taken")
    );
    let headline_de = text("h2.headline");

    lang.set(Lang::En);
    leptos::task::tick().await;
    assert!(text(".taken").contains("DNS read at"), "{}", text(".taken"));
    assert_ne!(text("h2.headline"), headline_de);
    let english = link().expect("the snapshot link, at once");
    assert_eq!(english, german.replace("?lang=de#", "?lang=en#"));
}
