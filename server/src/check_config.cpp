#include "check_config.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/ip/address.hpp>
#include <cstdio>
#include <filesystem>

#include "control.hpp"
#include "tls_identity.hpp"

namespace ruche::server {
namespace {

namespace fs = std::filesystem;
using level = config_finding::level;

bool is_address(const std::string& text) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(text, ec);
    return !ec;
}

// "https://host[:port]" with a host and nothing after it.
bool is_origin(const std::string& url, bool path_allowed) {
    std::string_view rest = url;
    if (rest.starts_with("https://")) {
        rest.remove_prefix(8);
    } else if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
    } else {
        return false;
    }
    const auto slash = rest.find('/');
    if (!path_allowed && slash != std::string_view::npos) return false;
    return !rest.substr(0, slash).empty();
}

bool is_loopback_url(const std::string& url) {
    return url.find("://127.") != std::string::npos || url.find("://localhost") != std::string::npos ||
           url.find("://[::1]") != std::string::npos;
}

config_finding data_dir(const config& cfg) {
    const fs::path dir(cfg.data_dir);
    std::error_code ec;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec)) return {level::error, "--data-dir", cfg.data_dir + " is not a directory"};
        if (::access(dir.c_str(), W_OK | X_OK) != 0) {
            return {level::error, "--data-dir", cfg.data_dir + " is not writable by this user"};
        }
        return {level::ok, "--data-dir", cfg.data_dir + " (exists, writable)"};
    }
    // The server creates it with its missing parents: the nearest one that
    // exists must let it.
    fs::path parent = fs::absolute(dir, ec).parent_path();
    while (!parent.empty() && !fs::exists(parent, ec) && parent != parent.root_path()) parent = parent.parent_path();
    if (!fs::is_directory(parent, ec) || ::access(parent.c_str(), W_OK | X_OK) != 0) {
        return {level::error, "--data-dir", cfg.data_dir + " does not exist and cannot be created here"};
    }
    return {level::ok, "--data-dir", cfg.data_dir + " (created at the first start)"};
}

config_finding static_dir(const config& cfg) {
    std::error_code ec;
    for (const char* page : {"index.html", "phone.html", "board.html"}) {
        if (!fs::is_regular_file(fs::path(cfg.static_dir) / page, ec)) {
            return {level::error, "--static-dir", cfg.static_dir + " has no " + page + ": not the web client"};
        }
    }
    return {level::ok, "--static-dir", cfg.static_dir};
}

config_finding public_url(const config& cfg) {
    if (cfg.public_url.empty()) {
        return {level::ok, "--public-url", "derived from --bind (set it when phones use a name)"};
    }
    if (!is_origin(cfg.public_url, true)) {
        return {level::error, "--public-url", cfg.public_url + " is not an http:// or https:// URL"};
    }
    const bool tls = !cfg.tls_cert.empty();
    if (tls && cfg.public_url.starts_with("http://")) {
        return {level::warning, "--public-url",
                cfg.public_url + ": this server speaks HTTPS, every link would be redirected once"};
    }
    if (cfg.public_url.starts_with("http://") && !is_loopback_url(cfg.public_url)) {
        return {level::warning, "--public-url",
                cfg.public_url + ": without HTTPS, phones have no offline page, camera or location"};
    }
    return {level::ok, "--public-url", cfg.public_url};
}

config_finding tls(const config& cfg) {
    if (cfg.tls_cert.empty() && cfg.tls_key.empty()) return {level::ok, "--tls-cert", "none: plain HTTP"};
    if (cfg.tls_cert.empty() || cfg.tls_key.empty()) {
        return {level::error, cfg.tls_cert.empty() ? "--tls-cert" : "--tls-key",
                "--tls-cert and --tls-key go together"};
    }
    std::string error;
    if (!tls_identity::make_context(cfg.tls_cert, cfg.tls_key, error)) return {level::error, "--tls-cert", error};
    return {level::ok, "--tls-cert", cfg.tls_cert + " with its key " + cfg.tls_key};
}

config_finding descriptors(const config& cfg) {
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return {level::warning, "--max-connections", "file limit unknown"};
    // RocksDB, the listening sockets and the control socket need some too.
    const rlim_t needed = static_cast<rlim_t>(cfg.limits.max_connections) + 256;
    if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur < needed) {
        return {level::warning, "--max-connections",
                std::to_string(cfg.limits.max_connections) + " connections, but this process may open only " +
                    std::to_string(files.rlim_cur) + " files (raise LimitNOFILE or ulimit -n to " +
                    std::to_string(needed) + ")"};
    }
    return {level::ok, "--max-connections", std::to_string(cfg.limits.max_connections)};
}

}  // namespace

std::vector<config_finding> check_config(const config& cfg) {
    std::vector<config_finding> out;
    out.push_back(is_address(cfg.bind) ? config_finding{level::ok, "--bind", cfg.bind}
                                       : config_finding{level::error, "--bind", cfg.bind + " is not an IP address"});
    out.push_back(data_dir(cfg));
    out.push_back(static_dir(cfg));
    out.push_back(public_url(cfg));
    out.push_back(tls(cfg));
    for (const auto& origin : cfg.allowed_origins) {
        if (!is_origin(origin, false)) {
            out.push_back({level::error, "--allowed-origin", origin + " is not an origin (scheme://host[:port])"});
        }
    }
    for (const auto& proxy : cfg.trusted_proxies) {
        if (!is_address(proxy)) out.push_back({level::error, "--trust-proxy", proxy + " is not an IP address"});
    }
    const auto& l = cfg.limits;
    if (l.reserved_for_joined >= l.max_connections) {
        out.push_back({level::error, "--reserved-for-joined",
                       "reserves every place of --max-connections: nobody could open the first page"});
    }
    if (l.unjoined_per_address > l.connections_per_address) {
        out.push_back({level::warning, "--unjoined-per-address", "more than --connections-per-address allows in all"});
    }
    out.push_back(descriptors(cfg));
    return out;
}

int check_config_command(const config& cfg) {
    bool failed = false;
    for (const auto& f : check_config(cfg)) {
        const char* mark = f.severity == level::ok ? "ok  " : f.severity == level::warning ? "warn" : "FAIL";
        std::printf("%s %-24s %s\n", mark, f.what.c_str(), f.detail.c_str());
        failed = failed || f.severity == level::error;
    }
    std::printf(failed ? "Configuration à corriger / Configuration has errors\n"
                       : "Configuration correcte / Configuration OK\n");
    return failed ? 1 : 0;
}

}  // namespace ruche::server
