use super::*;

#[test]
fn variants_have_their_common_form() {
    assert_eq!(common_form('髙'), '高');
    assert_eq!(common_form('邊'), '辺');
    assert_eq!(common_form('斉'), '斎');
    assert_eq!(common_form('高'), '高');
    assert_eq!(common_form('a'), 'a');
}
