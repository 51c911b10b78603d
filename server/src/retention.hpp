#pragma once

// Retention: sessions are erased, with everything of them (op log,
// checkpoints, metadata, compacted away from the database files), once their
// last activity is older than their retention period (protocol's
// `erase_time`). Looked for at start and then periodically, on the blocking
// pool; a session whose log has not moved since the last look is not read
// again.

#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace ruche::server {

struct app;

class retention_sweeper : public std::enable_shared_from_this<retention_sweeper> {
  public:
    explicit retention_sweeper(app& a);
    // Looks now, then every `retention_sweep_every`, until stopped.
    void run();
    void stop();
    // One look (blocking: off the network threads): erases what is due and
    // returns how many sessions it erased.
    std::size_t sweep();

  private:
    void schedule();

    struct seen {
        std::uint64_t head = 0;      // the log's last seq when looked at
        std::int64_t erase_time = 0;  // 0: kept until deleted
    };

    app& app_;
    boost::asio::steady_timer timer_;
    std::mutex mutex_;  // one sweep at a time, and the cache
    std::map<std::string, seen> seen_;
};

}  // namespace ruche::server
