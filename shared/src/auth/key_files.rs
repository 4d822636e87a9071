//! Secrets kept in the data folder by the embedded default (the token
//! signing key, the master key): read, or made once with mode 0600.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use base64::Engine;
use secrecy::SecretString;

/// Reads the signing key from `data_dir/jwt-signing.key`, creating it (64
/// random bytes, mode 0600) on first use. Only for the embedded default:
/// production refuses a generated key.
pub fn load_or_generate_key(data_dir: &Path) -> anyhow::Result<SecretString> {
    load_or_generate_secret(data_dir, "jwt-signing.key")
}

/// Reads the secret in `data_dir/file`, creating it (64 random bytes, mode
/// 0600) on first use. Only for the embedded default.
pub fn load_or_generate_secret(data_dir: &Path, file: &str) -> anyhow::Result<SecretString> {
    let path = data_dir.join(file);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let key = existing.trim().to_owned();
        anyhow::ensure!(
            key.len() >= 32,
            "{} is too short; delete it to regenerate",
            path.display()
        );
        return Ok(SecretString::from(key));
    }
    std::fs::create_dir_all(data_dir).context("creating the data folder")?;
    let mut bytes = [0u8; 64];
    rand::fill(&mut bytes);
    let key = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(key.as_bytes())
        .context("writing the signing key")?;
    Ok(SecretString::from(key))
}
