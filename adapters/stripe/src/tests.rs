use super::*;

const SECRET: &str = "whsec_unit";

fn completed(reference: &str) -> String {
    format!(
        r#"{{"id":"evt_1","object":"event","created":1700000000,"livemode":false,"pending_webhooks":1,
        "type":"checkout.session.completed","data":{{"object":{{"id":"cs_test_1","object":"checkout.session",
        "created":1700000000,"expires_at":1700086400,"livemode":false,"mode":"payment","payment_status":"paid",
        "status":"complete","client_reference_id":"{reference}","amount_total":150000,"currency":"jpy",
        "automatic_tax":{{"enabled":false}},"custom_fields":[],"custom_text":{{}},"payment_method_types":["card"],
        "shipping_options":[],"metadata":{{}}}}}}}}"#
    )
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[test]
fn a_signed_completion_is_read() {
    let body = completed("ref-1");
    let event = verify_webhook(&body, &sign(&body, SECRET, now()), SECRET).unwrap();
    assert_eq!(event.id, "evt_1");
    assert_eq!(event.kind, "checkout.session.completed");
    let checkout = event.checkout.unwrap();
    assert_eq!(checkout.reference.as_deref(), Some("ref-1"));
    assert!(checkout.paid);
    assert_eq!(checkout.amount_total, Some(150_000));
    assert_eq!(checkout.currency.as_deref(), Some("jpy"));
}

#[test]
fn tampering_a_wrong_secret_and_garbage_are_bad_signatures() {
    let body = completed("ref-1");
    let header = sign(&body, SECRET, now());
    let tampered = body.replace("ref-1", "ref-2");
    assert_eq!(
        verify_webhook(&tampered, &header, SECRET),
        Err(WebhookRejected::BadSignature)
    );
    assert_eq!(
        verify_webhook(&body, &header, "whsec_other"),
        Err(WebhookRejected::BadSignature)
    );
    assert_eq!(
        verify_webhook(&body, "nonsense", SECRET),
        Err(WebhookRejected::BadSignature)
    );
    assert_eq!(
        verify_webhook(&body, "", SECRET),
        Err(WebhookRejected::BadSignature)
    );
}

#[test]
fn the_tolerance_is_five_minutes_either_way() {
    let body = completed("ref-1");
    for (skew, ok) in [(-290, true), (290, true), (-330, false), (330, false)] {
        let result = verify_webhook(&body, &sign(&body, SECRET, now() + skew), SECRET);
        assert_eq!(result.is_ok(), ok, "skew {skew}: {result:?}");
        if !ok {
            assert_eq!(result, Err(WebhookRejected::Stale));
        }
    }
}

#[test]
fn other_event_types_carry_no_checkout() {
    let body = r#"{"id":"evt_2","object":"event","created":1700000000,"livemode":false,"pending_webhooks":1,
        "type":"customer.created","data":{"object":{"object":"customer","id":"cus_1"}}}"#;
    let event = verify_webhook(body, &sign(body, SECRET, now()), SECRET).unwrap();
    assert_eq!(event.kind, "customer.created");
    assert!(event.checkout.is_none());
}

#[test]
fn an_unreadable_checkout_event_is_refused_but_other_unreadable_events_are_acknowledged() {
    let broken = r#"{"id":"evt_3","object":"event","created":1700000000,"livemode":false,"pending_webhooks":1,
        "type":"checkout.session.completed","data":{"object":{"object":"checkout.session","id":"cs_1"}}}"#;
    assert_eq!(
        verify_webhook(broken, &sign(broken, SECRET, now()), SECRET),
        Err(WebhookRejected::BadPayload)
    );
    let other = broken.replace("checkout.session.completed", "payment_intent.created");
    let event = verify_webhook(&other, &sign(&other, SECRET, now()), SECRET).unwrap();
    assert_eq!(event.kind, "payment_intent.created");
    assert!(event.checkout.is_none());
}

#[test]
fn a_signed_body_that_is_no_event_is_a_bad_payload() {
    let body = r#"{"hello":"world"}"#;
    assert_eq!(
        verify_webhook(body, &sign(body, SECRET, now()), SECRET),
        Err(WebhookRejected::BadPayload)
    );
}
