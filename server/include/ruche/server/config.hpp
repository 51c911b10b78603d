#pragma once

// Everything `ruche` can be told on its command line (see main.cpp).

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ruche/storage/op_log.hpp"

namespace ruche::server {

struct limits {
    std::size_t max_connections = 2000;
    std::size_t send_queue_bytes = 4u << 20;  // per connection
    std::chrono::milliseconds write_timeout{15000};
    std::chrono::milliseconds handshake_timeout{10000};
    std::chrono::milliseconds hello_timeout{30000};  // from the upgrade to a successful hello
    std::chrono::milliseconds idle_timeout{40000};   // pings at half of it
    std::chrono::milliseconds http_timeout{30000};
    std::size_t read_message_max = 64 * 1024;
    std::size_t http_body_max = 64 * 1024;
    double ops_per_second = 20;
    double ops_burst = 60;
    std::size_t rate_strikes_before_close = 30;
    std::size_t sessions_per_hour = 60;  // created or imported, per client address
    std::size_t join_failures_per_minute = 30;  // a whole room may share one address
    std::size_t resume_window = 4096;           // events kept in memory per session
    // Fair shares of max_connections (see connection_gate.hpp). An address is
    // an IPv4 address or an IPv6 /64; a whole room behind one NAT is one.
    std::size_t connections_per_address = 500;
    std::size_t unjoined_per_address = 250;  // HTTP, or WebSocket before its hello
    // Places only connections that joined a session may take: silent or
    // half-open sockets from many addresses cannot take them.
    std::size_t reserved_for_joined = 250;
    // Per session: new participants a minute (a burst of as many), and in
    // all. A whole room scanning the QR code fits; a script making
    // thousands of seats, each written, broadcast and in every welcome, does not.
    double joins_per_minute = 200;
    std::size_t participants_per_session = 2000;
};

struct config {
    std::string bind = "127.0.0.1";
    std::uint16_t port = 8080;
    std::string data_dir = "./data";
    // The Unix socket `ruche backup` asks the running server through
    // (control.hpp); empty: none. `ruche` puts it in the data directory.
    std::string control_socket;
    std::string public_url;  // empty: derived from the bound address
    // HTTPS on the same port as HTTP (plain requests are sent to https://);
    // PEM files, read again on SIGHUP. Both empty: plain HTTP only.
    std::string tls_cert;
    std::string tls_key;
    std::string static_dir = "client-web";
    storage::durability durability = storage::durability::wal;
    std::vector<std::string> allowed_origins;  // besides the public URL's and same-host
    std::uint64_t checkpoint_every = 1000;
    unsigned threads = 0;  // 0: one per core
    // Given to each new session and kept with it: its minutes' times.
    std::string time_zone = "Europe/Paris";
    // In anonymous sessions no export ties an idea to a profile fewer people
    // than this had (k-anonymity).
    std::uint32_t anonymity_threshold = 3;
    // Sessions are erased this many days after their last activity (their
    // last op): given to each new session, which its facilitator may
    // shorten, and the longest any session is kept. 0: kept until deleted.
    std::uint32_t retention_days = 365;
    // One line per HTTP request in the server's log, the client pseudonymised
    // (access_log.hpp). Off: client addresses are never written anywhere.
    bool access_log = false;
    // How often expired sessions are looked for (and once at start).
    std::chrono::seconds retention_sweep_every{3600};
    // The wall clock ops are stamped with and retention is measured by; empty:
    // the system's. Tests move it.
    std::function<std::chrono::system_clock::time_point()> clock;
    struct limits limits;
    // Reverse proxies whose X-Forwarded-For is believed, for limits only
    // (never stored). Their own connections are held to the totals only.
    std::vector<std::string> trusted_proxies;
};

}  // namespace ruche::server
