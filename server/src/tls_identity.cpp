#include "tls_identity.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace ruche::server {

namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2 with forward-secret AEAD suites only; TLS 1.3's suites are all of
// that kind and keep OpenSSL's defaults. Every browser of the last years
// speaks one of these; none of them needs anything weaker.
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::string what_openssl_said(const boost::system::error_code& ec) {
    std::string detail = ec.message();
    // The asio message is OpenSSL's last reason; earlier ones say which line.
    while (const unsigned long e = ERR_get_error()) {
        char text[256];
        ERR_error_string_n(e, text, sizeof text);
        detail += std::string("; ") + text;
    }
    return detail;
}

}  // namespace

std::shared_ptr<ssl::context> tls_identity::make_context(const std::string& cert_file,
                                                         const std::string& key_file,
                                                         std::string& error) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression |
                     ssl::context::single_dh_use);
    SSL_CTX* native = ctx->native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(native, tls12_ciphers);
    // The server's preference among the suites both sides have; no
    // client-initiated renegotiation (a cheap way to make a server work).
    SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    boost::system::error_code ec;
    ERR_clear_error();
    ctx->use_certificate_chain_file(cert_file, ec);
    if (ec) {
        error = "cannot read the certificate " + cert_file + ": " + what_openssl_said(ec);
        return nullptr;
    }
    ctx->use_private_key_file(key_file, ssl::context::pem, ec);
    // Asio has taken OpenSSL's error off its queue into `ec`.
    const bool mismatch = ec.category() == boost::asio::error::get_ssl_category() &&
                          ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH;
    if (mismatch || (!ec && SSL_CTX_check_private_key(native) != 1)) {
        ERR_clear_error();
        error = "the private key " + key_file + " does not match the certificate " + cert_file;
        return nullptr;
    }
    if (ec) {
        error = "cannot read the private key " + key_file + ": " + what_openssl_said(ec);
        return nullptr;
    }
    return ctx;
}

bool tls_identity::load(std::string cert_file, std::string key_file, std::string& error) {
    cert_file_ = std::move(cert_file);
    key_file_ = std::move(key_file);
    if (cert_file_.empty() && key_file_.empty()) return true;
    if (cert_file_.empty() || key_file_.empty()) {
        error = "--tls-cert and --tls-key go together";
        return false;
    }
    return reload(error);
}

bool tls_identity::reload(std::string& error) {
    if (!enabled()) return true;
    auto fresh = make_context(cert_file_, key_file_, error);
    if (!fresh) return false;
    std::lock_guard lock(mutex_);
    context_ = std::move(fresh);
    return true;
}

std::shared_ptr<ssl::context> tls_identity::current() const {
    std::lock_guard lock(mutex_);
    return context_;
}

}  // namespace ruche::server
