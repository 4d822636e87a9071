use super::digest;
use crate::secrets::{is_typed_code, normalise_code as normalise, typed_code};

#[test]
fn codes_are_read_as_typed() {
    assert_eq!(normalise("abcde-fgh23"), "ABCDEFGH23");
    assert_eq!(digest("ABCDE FGH23"), digest("abcde-fgh23"));
    assert_ne!(digest("ABCDE-FGH23"), digest("ABCDE-FGH24"));
}

#[test]
fn fresh_codes_have_the_shape_they_are_read_back_as() {
    let code = typed_code();
    assert_eq!((code.len(), &code[5..6]), (11, "-"));
    assert!(is_typed_code(&normalise(&code)));
    assert!(is_typed_code(&normalise(&code.to_lowercase())));
    // A TOTP code, a look-alike letter and a short code are not.
    for other in ["123456", "ABCDE-FGHI1", "ABCDE-FGH2", "ABCDE-FGH2O"] {
        assert!(!is_typed_code(&normalise(other)), "{other}");
    }
}
