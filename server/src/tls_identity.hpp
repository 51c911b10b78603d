#pragma once

// The server's certificate and key for HTTPS (and WSS) on its one port. The
// files are read at start and again on SIGHUP: a renewed certificate (e.g.
// by certbot) is taken without dropping anyone, since each connection keeps
// the context it shook hands with, and new ones get the new one. A renewal
// that cannot be read is refused as a whole and the previous pair kept.

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <string>

namespace ruche::server {

class tls_identity {
  public:
    // Reads `cert_file` (PEM, the certificate then its chain) and `key_file`
    // (PEM). On failure returns an empty pointer and says why in `error`.
    static std::shared_ptr<boost::asio::ssl::context> make_context(const std::string& cert_file,
                                                                   const std::string& key_file,
                                                                   std::string& error);

    // Empty paths: no TLS (plain HTTP). Otherwise the first load.
    bool load(std::string cert_file, std::string key_file, std::string& error);
    // Reads the same files again; on failure keeps what it had.
    bool reload(std::string& error);

    bool enabled() const { return !cert_file_.empty(); }
    // The context new connections shake hands with (thread-safe).
    std::shared_ptr<boost::asio::ssl::context> current() const;

  private:
    std::string cert_file_, key_file_;
    mutable std::mutex mutex_;
    std::shared_ptr<boost::asio::ssl::context> context_;
};

}  // namespace ruche::server
