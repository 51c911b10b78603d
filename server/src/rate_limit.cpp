#include "rate_limit.hpp"

#include <algorithm>
#include <iterator>

namespace ruche::server {

token_bucket::token_bucket(double rate_per_second, double burst) noexcept
    : rate_(std::max(rate_per_second, 0.0)), burst_(std::max(burst, 0.0)), tokens_(burst_) {}

bool token_bucket::try_take(clock_time now, double n) noexcept {
    if (!started_) {
        started_ = true;
        last_ = now;
    } else if (now > last_) {
        const std::chrono::duration<double> elapsed = now - last_;
        tokens_ = std::min(burst_, tokens_ + elapsed.count() * rate_);
        last_ = now;
    }
    // Refills are computed in floating point; without the slack, a token due
    // exactly now could be refused for a rounding error.
    constexpr double slack = 1e-9;
    if (tokens_ + slack < n) return false;
    tokens_ = std::max(0.0, tokens_ - n);
    return true;
}

attempt_limiter::attempt_limiter(std::size_t max_failures, std::chrono::seconds window,
                                 std::size_t max_keys)
    : max_failures_(std::max<std::size_t>(max_failures, 1)),
      window_(window),
      max_keys_(std::max<std::size_t>(max_keys, 1)) {}

bool attempt_limiter::blocked(const std::string& key, clock_time now) {
    const std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end()) return false;
    if (now >= it->second.expires) {
        recent_.erase(it->second.lru);
        entries_.erase(it);
        return false;
    }
    return it->second.failures >= max_failures_;
}

bool attempt_limiter::may_try(const std::string& key, clock_time now,
                              std::chrono::milliseconds probe_interval) {
    if (!blocked(key, now)) return true;
    const std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end()) return true;  // forgotten in between
    if (now < it->second.next_probe) return false;
    it->second.next_probe = now + probe_interval;
    return true;
}

void attempt_limiter::record_failure(const std::string& key, clock_time now) {
    const std::lock_guard lock(mutex_);
    // Forget expired keys at the old end of the list; cheap, and in normal use
    // it keeps the table down to the keys that failed recently.
    while (!recent_.empty()) {
        const auto oldest = entries_.find(recent_.front());
        if (now < oldest->second.expires) break;
        recent_.pop_front();
        entries_.erase(oldest);
    }
    auto it = entries_.find(key);
    if (it == entries_.end()) {
        // Still full: forget the key whose last failure is the oldest among
        // those not blocked, so that failing from many other addresses cannot
        // push a blocked one out; only when every key is blocked, the oldest.
        while (entries_.size() >= max_keys_) {
            auto victim = std::find_if(recent_.begin(), recent_.end(), [&](const std::string& k) {
                return entries_.at(k).failures < max_failures_;
            });
            if (victim == recent_.end()) victim = recent_.begin();
            entries_.erase(*victim);
            recent_.erase(victim);
        }
        recent_.push_back(key);
        it = entries_.emplace(key, entry{0, now + window_, {}, std::prev(recent_.end())}).first;
    } else {
        recent_.splice(recent_.end(), recent_, it->second.lru);
        if (now >= it->second.expires) it->second = entry{0, now + window_, {}, it->second.lru};
    }
    entry& e = it->second;
    ++e.failures;
    // Each failure at or past the limit restarts the block, so guessing on
    // while blocked only makes it last longer.
    if (e.failures >= max_failures_) e.expires = now + window_;
}

std::size_t attempt_limiter::size() const {
    const std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace ruche::server
