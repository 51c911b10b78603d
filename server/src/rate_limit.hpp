#pragma once

// Rate limits as pure logic: callers pass the current time, nothing here reads
// a clock, so tests can run hours of synthetic time in a microsecond.

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ruche::server {

using clock_time = std::chrono::steady_clock::time_point;

// Allows `burst` actions at once, then `rate_per_second` on average: the
// per-connection limit on operations. Starts full. Not thread-safe; each
// connection owns its bucket and uses it from its own strand.
class token_bucket {
  public:
    token_bucket(double rate_per_second, double burst) noexcept;

    // Takes `n` tokens if there are enough (a request larger than the burst
    // never succeeds). A `now` earlier than a previous call counts as no time
    // elapsed.
    bool try_take(clock_time now, double n = 1) noexcept;

  private:
    double rate_;
    double burst_;
    double tokens_;
    clock_time last_{};
    bool started_ = false;
};

// Counts failed attempts per key (a client address) to slow down guessing of
// join codes. A key is blocked once it has `max_failures` failures within
// `window` of its first one, and stays blocked for `window` after its last
// failure. Thread-safe. Memory is bounded: expired entries are dropped as they
// are met, and past `max_keys` the least recently failing key that is not
// blocked is forgotten (a blocked one only when every key is blocked).
class attempt_limiter {
  public:
    attempt_limiter(std::size_t max_failures, std::chrono::seconds window,
                    std::size_t max_keys = 10000);

    bool blocked(const std::string& key, clock_time now);
    // Whether `key` may make an attempt now: always when it is not blocked;
    // when blocked, once per `probe_interval`. A whole room behind one
    // address is then never locked out of the right code by someone typing
    // wrong ones (each of them waits at most a probe interval), while a
    // guesser is held to one guess per interval.
    bool may_try(const std::string& key, clock_time now,
                 std::chrono::milliseconds probe_interval = std::chrono::milliseconds(2000));
    void record_failure(const std::string& key, clock_time now);

    // Keys currently remembered (expired ones may linger until met).
    std::size_t size() const;

  private:
    struct entry {
        std::size_t failures = 0;
        clock_time expires{};                  // end of the window or of the block
        clock_time next_probe{};               // while blocked: the next attempt allowed
        std::list<std::string>::iterator lru;  // position in recent_
    };

    const std::size_t max_failures_;
    const std::chrono::seconds window_;
    const std::size_t max_keys_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, entry> entries_;
    std::list<std::string> recent_;  // least recently failing key first
};

}  // namespace ruche::server
