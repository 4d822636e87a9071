//! Outgoing email through lettre: SMTP when `TAIWA_SMTP_URL` is set, otherwise
//! one `.eml` file per message under `./data/mail/` (the embedded default).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

/// A file attached to a message (e.g. an `.ics` invite).
#[derive(Clone, Debug)]
pub struct MailAttachment {
    /// File name shown to the recipient.
    pub filename: String,
    /// MIME type, e.g. `text/calendar; method=REQUEST`.
    pub content_type: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// A message to send.
#[derive(Clone, Debug)]
pub struct OutgoingMail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// Attachments.
    pub attachments: Vec<MailAttachment>,
}

enum Transport {
    Files(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Sends Taiwa's emails.
#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.transport.as_ref() {
            Transport::Files(_) => "files",
            Transport::Smtp(_) => "smtp",
        };
        f.debug_struct("Mailer")
            .field("transport", &kind)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// SMTP to `smtp_url` when given, else `.eml` files in `mail_dir`.
    pub fn new(
        smtp_url: Option<&SecretString>,
        mail_dir: &Path,
        from: &str,
    ) -> anyhow::Result<Self> {
        let from: Mailbox = from.parse().context("TAIWA_MAIL_FROM is not an address")?;
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .context("TAIWA_SMTP_URL is not a valid smtp:// or smtps:// URL")?
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(mail_dir)
                    .with_context(|| format!("creating {}", mail_dir.display()))?;
                Transport::Files(AsyncFileTransport::new(mail_dir))
            }
        };
        Ok(Self {
            transport: Arc::new(transport),
            from,
        })
    }

    /// The sender's address (Taiwa's, from `TAIWA_MAIL_FROM`).
    pub fn from_address(&self) -> String {
        self.from.email.to_string()
    }

    /// Whether `address` is one a message can be sent to (a bare address
    /// the mail library accepts, as [`Mailer::send`] will parse it).
    pub fn deliverable(address: &str) -> bool {
        !address.contains(['<', '>', '"', ','])
            && address.parse::<lettre::Address>().is_ok()
            && address.parse::<Mailbox>().is_ok()
    }

    /// Sends one message.
    pub async fn send(&self, mail: &OutgoingMail) -> anyhow::Result<()> {
        let to: Mailbox = mail.to.parse().context("recipient address")?;
        // RFC 5322 §3.6.4: a unique Message-ID, on the sender's own domain.
        let message_id = format!(
            "<{}@{}>",
            uuid::Uuid::new_v4().simple(),
            self.from.email.domain()
        );
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .message_id(Some(message_id))
            .subject(&mail.subject);
        let message = if mail.attachments.is_empty() {
            builder
                .header(ContentType::TEXT_PLAIN)
                .body(mail.text.clone())
        } else {
            let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(mail.text.clone()));
            for a in &mail.attachments {
                let content_type =
                    ContentType::parse(&a.content_type).context("attachment type")?;
                parts = parts.singlepart(
                    Attachment::new(a.filename.clone()).body(a.bytes.clone(), content_type),
                );
            }
            builder.multipart(parts)
        }
        .context("building the message")?;
        match self.transport.as_ref() {
            Transport::Files(transport) => {
                transport
                    .send(message)
                    .await
                    .context("writing the message file")?;
            }
            Transport::Smtp(transport) => {
                transport.send(message).await.context("sending over SMTP")?;
            }
        }
        Ok(())
    }
}
