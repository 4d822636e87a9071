#[test]
fn escapes_markup() {
    assert_eq!(
        super::escape_html(r#""><script>alert('x')</script>&"#),
        "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
    );
}
