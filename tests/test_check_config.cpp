// `ruche check-config`: a good configuration passes; each mistake an
// administrator can make is named with its option.

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "check_config.hpp"
#include "temp_dir.hpp"

using namespace ruche;
using level = server::config_finding::level;

namespace {

server::config good(const testing::temp_dir& dir) {
    server::config cfg;
    cfg.data_dir = (dir.path() / "data").string();
    cfg.static_dir = RUCHE_CLIENT_WEB_DIR;
    cfg.limits.max_connections = 100;
    cfg.limits.reserved_for_joined = 50;
    return cfg;
}

// The worst finding about `option`, and whether there is one at all.
level worst(const server::config& cfg, const std::string& option) {
    level seen = level::ok;
    for (const auto& f : server::check_config(cfg)) {
        if (f.what == option && f.severity > seen) seen = f.severity;
    }
    return seen;
}

bool clean(const server::config& cfg) {
    for (const auto& f : server::check_config(cfg)) {
        if (f.severity != level::ok) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("check-config passes a good configuration and names each mistake") {
    testing::temp_dir dir;
    CHECK(clean(good(dir)));

    auto cfg = good(dir);
    cfg.bind = "ruche.example.org";
    CHECK(worst(cfg, "--bind") == level::error);

    cfg = good(dir);
    cfg.static_dir = dir.path().string();
    CHECK(worst(cfg, "--static-dir") == level::error);

    cfg = good(dir);
    cfg.data_dir = (dir.path() / "missing" / "data").string();  // created with its parent
    CHECK(worst(cfg, "--data-dir") == level::ok);
    cfg.data_dir = (dir.path() / "a-file").string();
    { std::ofstream(cfg.data_dir) << "x"; }
    CHECK(worst(cfg, "--data-dir") == level::error);

    cfg = good(dir);
    cfg.public_url = "ruche.example.org";
    CHECK(worst(cfg, "--public-url") == level::error);
    cfg.public_url = "http://ruche.example.org";
    CHECK(worst(cfg, "--public-url") == level::warning);  // no HTTPS for the phones
    cfg.public_url = "https://ruche.example.org";
    CHECK(worst(cfg, "--public-url") == level::ok);

    cfg = good(dir);
    cfg.allowed_origins = {"https://atelier.example.org", "https://a.example.org/page"};
    CHECK(worst(cfg, "--allowed-origin") == level::error);
    cfg.trusted_proxies = {"127.0.0.1", "proxy.local"};
    CHECK(worst(cfg, "--trust-proxy") == level::error);

    cfg = good(dir);
    cfg.limits.reserved_for_joined = cfg.limits.max_connections;
    CHECK(worst(cfg, "--reserved-for-joined") == level::error);
    cfg = good(dir);
    cfg.limits.max_connections = 1'000'000'000;  // more than any file limit here
    CHECK(worst(cfg, "--max-connections") == level::warning);
}

TEST_CASE("check-config names an HTTPS certificate that cannot be used") {
    testing::temp_dir dir;
    auto cfg = good(dir);
    CHECK(worst(cfg, "--tls-cert") == level::ok);  // plain HTTP

    cfg.tls_cert = (dir.path() / "cert.pem").string();
    CHECK(worst(cfg, "--tls-key") == level::error);  // one without the other

    cfg.tls_key = (dir.path() / "key.pem").string();
    { std::ofstream(cfg.tls_cert) << "-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n"; }
    bool named = false;
    for (const auto& f : server::check_config(cfg)) {
        if (f.what == "--tls-cert" && f.severity == level::error) {
            named = f.detail.find(cfg.tls_cert) != std::string::npos;
        }
    }
    CHECK(named);  // which file, in the message

    // The public URL of a server speaking HTTPS should be https://.
    cfg = good(dir);
    cfg.tls_cert = cfg.tls_key = "unused";
    cfg.public_url = "http://ruche.example.org";
    CHECK(worst(cfg, "--public-url") == level::warning);
}
