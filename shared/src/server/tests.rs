use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{WriteDeadline, replacement_for};

/// A peer that reads nothing blocks the writer, which gives up after the
/// limit; a peer that reads lets every write through however long the
/// whole answer takes.
#[tokio::test(start_paused = true)]
async fn a_write_blocked_past_the_limit_fails_and_a_read_one_does_not() {
    let (server, _client) = tokio::io::duplex(64);
    let mut writer = WriteDeadline::new(server, Duration::from_secs(30));
    let started = tokio::time::Instant::now();
    // Far beyond the limit: a writer that never gave up fails here
    // instead of hanging the test.
    let err = tokio::time::timeout(Duration::from_secs(3600), writer.write_all(&[b'x'; 4096]))
        .await
        .expect("the write gave up before the hour")
        .expect_err("nobody reads");
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
    assert!(started.elapsed() >= Duration::from_secs(30));

    let (server, mut client) = tokio::io::duplex(64);
    let mut writer = WriteDeadline::new(server, Duration::from_secs(30));
    let reader = tokio::spawn(async move {
        let mut got = Vec::new();
        let mut chunk = [0u8; 16];
        while got.len() < 4096 {
            // A slow reader: 16 bytes every 5 s, 256 reads in all.
            tokio::time::sleep(Duration::from_secs(5)).await;
            let n = client.read(&mut chunk).await.expect("read");
            got.extend_from_slice(&chunk[..n]);
        }
        got.len()
    });
    writer.write_all(&[b'y'; 4096]).await.expect("read, slowly");
    assert_eq!(reader.await.expect("join"), 4096);
}

#[test]
fn only_hypers_bare_answers_are_replaced() {
    let bare = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: Sun, 06 Dec 2026 07:00:00 GMT\r\n\r\n";
    let answer = String::from_utf8(replacement_for(bare).expect("replaced")).expect("text");
    assert!(answer.starts_with("HTTP/1.1 414 URI Too Long\r\ncontent-type: application/json\r\n"));
    let body = answer.split("\r\n\r\n").nth(1).expect("body");
    let parsed: serde_json::Value = serde_json::from_str(body).expect("json");
    assert_eq!(parsed["error"]["code"], "uri_too_long");
    let ours =
        b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n";
    assert!(
        replacement_for(ours).is_none(),
        "the router's own answers pass"
    );
    let ok = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n";
    assert!(replacement_for(ok).is_none());
}
