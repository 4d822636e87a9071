use super::*;

fn all(value: impl Fn(&Item) -> i64) -> Vec<(String, i64)> {
    ITEMS.iter().map(|i| (i.id.to_owned(), value(i))).collect()
}

#[test]
fn the_instrument_has_the_promised_shape() {
    assert!((8..=12).contains(&DIMS));
    assert!((40..=60).contains(&ITEMS.len()));
    for d in &DIMENSIONS {
        let items: Vec<_> = ITEMS.iter().filter(|i| i.dimension == d.key).collect();
        assert!(items.len() >= 4, "{} has {} items", d.key, items.len());
        assert!(
            items.iter().any(|i| i.reverse) && items.iter().any(|i| !i.reverse),
            "{} keying",
            d.key
        );
    }
    let mut ids: Vec<_> = ITEMS.iter().map(|i| i.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), ITEMS.len(), "item ids are unique");
    assert!(
        ITEMS
            .iter()
            .all(|i| !i.text_ja.is_empty() && !i.text_en.is_empty())
    );
}

#[test]
fn keying_centring_and_scaling() {
    // Agreeing fully with every forward item and disagreeing fully with
    // every reverse item is the top of every dimension.
    let top = Answers::parse(&all(|i| if i.reverse { 1 } else { 6 }))
        .expect("valid")
        .score();
    assert!(top.0.iter().all(|v| (*v - 1.0).abs() < 1e-9), "{top:?}");
    let bottom = Answers::parse(&all(|i| if i.reverse { 6 } else { 1 }))
        .expect("valid")
        .score();
    assert!(
        bottom.0.iter().all(|v| (*v + 1.0).abs() < 1e-9),
        "{bottom:?}"
    );
    // Answering 6 to everything (acquiescence) is not "valuing everything":
    // reverse keying pulls it towards the middle.
    let yes = Answers::parse(&all(|_| 6)).expect("valid").score();
    assert!(yes.0.iter().all(|v| v.abs() < 0.5), "{yes:?}");
}

#[test]
fn bad_answers_name_the_item() {
    let mut answers = all(|_| 3);
    answers.pop();
    assert!(matches!(
        Answers::parse(&answers),
        Err(AnswerError::Missing(_))
    ));
    let mut answers = all(|_| 3);
    answers[0].1 = 7;
    assert_eq!(
        Answers::parse(&answers)
            .map(|_| ())
            .map_err(|e| e.item().to_owned()),
        Err(ITEMS[0].id.to_owned())
    );
    let mut answers = all(|_| 3);
    answers.push(("NOPE9".to_owned(), 3));
    assert_eq!(
        Answers::parse(&answers),
        Err(AnswerError::Unknown("NOPE9".to_owned()))
    );
    let mut answers = all(|_| 3);
    answers.push((ITEMS[3].id.to_owned(), 2));
    assert_eq!(
        Answers::parse(&answers),
        Err(AnswerError::Duplicate(ITEMS[3].id.to_owned()))
    );
}

#[test]
fn matching_form_is_unit_length_or_zero() {
    let v = Answers::parse(&all(|i| if i.dimension == "autonomy" { 6 } else { 3 }))
        .expect("valid")
        .score();
    let m = v.matching_form();
    let norm: f32 = m.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-5);
    assert!(
        ValuesVector([0.2; DIMS])
            .matching_form()
            .iter()
            .all(|x| *x == 0.0)
    );
}
