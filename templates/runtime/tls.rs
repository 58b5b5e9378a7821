//! TLS: rustls with ring, chosen over reqwest 0.13's default (aws-lc-rs)
//! for build cost. reqwest asks rustls for the process's provider when a
//! `reqwest::Client` is built and panics if there is none, so the provider
//! is installed before the client's own HTTP client is built.

/// Installs rustls's ring provider as the process's default, unless one is
/// installed already (then nothing changes). The SailPoint client does this
/// itself when it is built; call it first only if the application builds a
/// `reqwest::Client` of its own before any SailPoint client, and its reqwest
/// brings no provider of its own (with reqwest's default features it does).
pub fn install_tls_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may have installed one meanwhile: either is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_applications_own_reqwest_client_builds_once_the_provider_is_installed() {
        super::install_tls_provider();
        super::install_tls_provider();
        let _client = reqwest::Client::new();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}
