#pragma once

// What every part of a running server shares. One per server instance.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <string>

#include "connection_gate.hpp"
#include "import_gate.hpp"
#include "metrics.hpp"
#include "op_writer.hpp"
#include "rate_limit.hpp"
#include "registry.hpp"
#include "tls_identity.hpp"
#include "access_log.hpp"
#include "ruche/server/config.hpp"
#include "ruche/server/session_log.hpp"

namespace ruche::server {

struct app {
    app(config c, std::string public_url_, boost::asio::io_context& io, storage::op_log& log)
        : cfg(std::move(c)),
          public_url(std::move(public_url_)),
          ioc(io),
          logs(log, cfg.checkpoint_every),
          writer(log, metrics),
          rooms(*this),
          join_attempts(cfg.limits.join_failures_per_minute, std::chrono::seconds(60)),
          creations(cfg.limits.sessions_per_hour, std::chrono::seconds(3600)),
          gate(gate_limits(cfg.limits)) {}

    config cfg;
    std::string public_url;  // no trailing slash
    boost::asio::io_context& ioc;
    session_log logs;  // every board session's op log, with the board model
    struct metrics metrics;
    op_writer writer;  // the durability stage: every room's appends, off the network threads
    // HTTP requests (minutes, imports, deletions, replays) and session loads:
    // work that reads or writes the disk at length, never on a network thread.
    boost::asio::thread_pool blocking{2};
    // Imports, one at a time, so that a big one holds neither the network
    // threads nor the pool that answers everything else.
    boost::asio::thread_pool importer{1};
    registry rooms;
    attempt_limiter join_attempts;
    attempt_limiter creations;  // sessions created (or imported) per client address
    connection_gate gate;  // TCP connections held, HTTP or WebSocket, per address
    import_gate imports{2};  // imports being received or waiting for the importer
    // Photo uploads being received or re-encoded: one per address, four in
    // all (each holds up to 3 MB, and libvips's memory while it decodes).
    import_gate photo_uploads{4};
    tls_identity tls;  // the certificate HTTPS connections shake hands with, if any
    access_log access;  // written only with cfg.access_log

    static connection_gate::limits gate_limits(const limits& l) {
        connection_gate::limits g;
        g.max_total = l.max_connections;
        g.max_pending = l.max_connections - std::min(l.reserved_for_joined, l.max_connections);
        g.per_address = l.connections_per_address;
        g.pending_per_address = l.unjoined_per_address;
        return g;
    }

    // Milliseconds since the epoch, by the configured clock.
    std::int64_t now_ms() const {
        const auto now = cfg.clock ? cfg.clock() : std::chrono::system_clock::now();
        return std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    }

    std::string join_url(std::string_view join_code) const {
        std::string compact;
        for (char c : join_code) {
            if (c != '-') compact += c;
        }
        return public_url + "/j/" + compact;
    }
    std::string board_url(std::string_view facilitator_token) const {
        return public_url + "/tableau#" + std::string(facilitator_token);
    }
};

}  // namespace ruche::server
