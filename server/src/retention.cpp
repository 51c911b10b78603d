#include "retention.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <set>
#include <vector>

#include "app.hpp"

namespace ruche::server {

namespace net = boost::asio;

retention_sweeper::retention_sweeper(app& a) : app_(a), timer_(a.ioc) {}

void retention_sweeper::run() {
    // A sweep reads the op log: on the blocking pool, then the next one.
    net::post(app_.blocking, [self = shared_from_this()] {
        self->sweep();
        self->schedule();
    });
}

void retention_sweeper::schedule() {
    timer_.expires_after(app_.cfg.retention_sweep_every);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec) self->run();  // otherwise stopped
    });
}

void retention_sweeper::stop() {
    net::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

std::size_t retention_sweeper::sweep() {
    std::lock_guard lock(mutex_);
    auto& log = app_.logs.log();
    std::vector<std::string> ids;
    if (auto ec = log.list_sessions(ids)) {
        spdlog::warn("retention: cannot list the sessions: {}", ec.message());
        return 0;
    }
    const std::int64_t now = app_.now_ms();
    std::size_t erased = 0;
    std::set<std::string> present;
    for (const auto& id : ids) {
        present.insert(id);
        std::uint64_t head = 0;
        if (log.head(id, head)) continue;
        auto& known = seen_[id];
        if (known.head != head || head == 0) {
            // Only a session whose log moved is read again.
            protocol::board board;
            if (auto ec = app_.logs.load(id, board)) {
                spdlog::warn("retention: session {} cannot be read: {}", id, ec.message());
                seen_.erase(id);
                continue;
            }
            known = {board.seq, protocol::erase_time(board, app_.cfg.retention_days)};
        }
        if (known.erase_time == 0 || known.erase_time > now) continue;
        if (auto ec = app_.rooms.erase(id)) {
            spdlog::error("retention: session {} is due but cannot be erased: {}", id, ec.message());
            continue;
        }
        seen_.erase(id);
        present.erase(id);
        ++erased;
        app_.metrics.sessions_expired_total.inc();
        spdlog::info("retention: session {} erased, its retention period is over", id);
    }
    std::erase_if(seen_, [&](const auto& kv) { return !present.contains(kv.first); });
    return erased;
}

}  // namespace ruche::server
