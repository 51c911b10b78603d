#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "rate_limit.hpp"

using namespace ruche::server;
using namespace std::chrono_literals;

namespace {
// Any fixed instant: the limiters only look at differences.
const clock_time t0 = clock_time{} + 1000h;
}  // namespace

TEST_CASE("a token bucket allows its burst at once, then nothing until it refills") {
    token_bucket bucket(10, 5);
    for (int i = 0; i < 5; ++i) CHECK(bucket.try_take(t0));
    CHECK_FALSE(bucket.try_take(t0));
    CHECK_FALSE(bucket.try_take(t0 + 50ms));  // half a token
    CHECK(bucket.try_take(t0 + 100ms));
    CHECK_FALSE(bucket.try_take(t0 + 100ms));
}

TEST_CASE("a token bucket never holds more than its burst") {
    token_bucket bucket(10, 5);
    CHECK(bucket.try_take(t0));
    int taken = 0;
    while (bucket.try_take(t0 + 1h)) ++taken;
    CHECK(taken == 5);
}

TEST_CASE("a token bucket sustains its rate over time") {
    token_bucket bucket(5, 10);
    int taken = 0;
    for (auto t = t0; t < t0 + 60s; t += 10ms) taken += bucket.try_take(t) ? 1 : 0;
    // The burst, then 5 per second for the 60 seconds after the first call.
    CHECK(taken >= 309);
    CHECK(taken <= 310);
}

TEST_CASE("a token refills at exactly its due time") {
    token_bucket bucket(10, 1);
    for (int i = 0; i < 1000; ++i) {
        INFO("step " << i);
        REQUIRE(bucket.try_take(t0 + i * 100ms));
        REQUIRE_FALSE(bucket.try_take(t0 + i * 100ms));
    }
}

TEST_CASE("a token bucket takes several tokens at once, never more than its burst") {
    token_bucket bucket(1, 4);
    CHECK_FALSE(bucket.try_take(t0, 5));
    CHECK(bucket.try_take(t0, 2.5));
    CHECK_FALSE(bucket.try_take(t0, 2));
    CHECK(bucket.try_take(t0, 1.5));
    CHECK_FALSE(bucket.try_take(t0 + 1s, 2));
    CHECK(bucket.try_take(t0 + 2s, 2));
}

TEST_CASE("time going backwards does not refill a token bucket") {
    token_bucket bucket(10, 1);
    CHECK(bucket.try_take(t0 + 1s));
    CHECK_FALSE(bucket.try_take(t0));
    CHECK_FALSE(bucket.try_take(t0 + 1s));
    CHECK(bucket.try_take(t0 + 1s + 100ms));
}

TEST_CASE("a bucket with a zero rate only gives its burst") {
    token_bucket bucket(0, 2);
    CHECK(bucket.try_take(t0));
    CHECK(bucket.try_take(t0 + 1s));
    CHECK_FALSE(bucket.try_take(t0 + 24h));
}

TEST_CASE("a key is blocked after max_failures failures, others are not") {
    attempt_limiter limiter(3, 60s);
    CHECK_FALSE(limiter.blocked("10.0.0.1", t0));
    limiter.record_failure("10.0.0.1", t0);
    limiter.record_failure("10.0.0.1", t0 + 1s);
    CHECK_FALSE(limiter.blocked("10.0.0.1", t0 + 2s));
    limiter.record_failure("10.0.0.1", t0 + 2s);
    CHECK(limiter.blocked("10.0.0.1", t0 + 2s));
    CHECK_FALSE(limiter.blocked("10.0.0.2", t0 + 2s));
}

TEST_CASE("failures from many other keys do not push a blocked key out of a full table") {
    attempt_limiter limiter(2, 60s, 3);
    const auto t0 = clock_time{} + 1h;
    limiter.record_failure("guesser", t0);
    limiter.record_failure("guesser", t0);
    REQUIRE(limiter.blocked("guesser", t0));
    for (int i = 0; i < 1000; ++i) limiter.record_failure("other-" + std::to_string(i), t0 + 1s);
    CHECK(limiter.size() == 3);
    CHECK(limiter.blocked("guesser", t0 + 2s));
}

TEST_CASE("a blocked key may still try once per probe interval") {
    attempt_limiter limiter(2, 60s);
    const auto t0 = clock_time{} + 1h;
    CHECK(limiter.may_try("a", t0));  // not blocked: always
    CHECK(limiter.may_try("a", t0));
    limiter.record_failure("a", t0);
    limiter.record_failure("a", t0);
    REQUIRE(limiter.blocked("a", t0));
    CHECK(limiter.may_try("a", t0));  // the first probe
    CHECK_FALSE(limiter.may_try("a", t0 + 1999ms));
    CHECK(limiter.may_try("a", t0 + 2000ms));
    CHECK_FALSE(limiter.may_try("a", t0 + 2001ms));
    CHECK(limiter.may_try("b", t0));  // others are not held back
    // A failure while blocked extends the block by a window.
    limiter.record_failure("a", t0 + 30s);
    CHECK(limiter.blocked("a", t0 + 89s));
    CHECK_FALSE(limiter.blocked("a", t0 + 90s));
    CHECK(limiter.may_try("a", t0 + 90s));
}

TEST_CASE("a block lasts one window after the last failure, then the count starts over") {
    attempt_limiter limiter(3, 60s);
    for (int i = 0; i < 3; ++i) limiter.record_failure("a", t0);
    CHECK(limiter.blocked("a", t0 + 59s));
    CHECK_FALSE(limiter.blocked("a", t0 + 60s));
    limiter.record_failure("a", t0 + 61s);
    CHECK_FALSE(limiter.blocked("a", t0 + 61s));
}

TEST_CASE("failures while blocked make the block last longer") {
    attempt_limiter limiter(3, 60s);
    for (int i = 0; i < 3; ++i) limiter.record_failure("a", t0);
    limiter.record_failure("a", t0 + 50s);
    CHECK(limiter.blocked("a", t0 + 100s));
    CHECK_FALSE(limiter.blocked("a", t0 + 110s));
}

TEST_CASE("failures spread over more than a window do not block") {
    attempt_limiter limiter(3, 60s);
    limiter.record_failure("a", t0);
    limiter.record_failure("a", t0 + 30s);
    limiter.record_failure("a", t0 + 61s);  // the first window is over
    CHECK_FALSE(limiter.blocked("a", t0 + 61s));
    limiter.record_failure("a", t0 + 62s);
    limiter.record_failure("a", t0 + 63s);
    CHECK(limiter.blocked("a", t0 + 63s));
}

TEST_CASE("an attempt limiter never holds more than max_keys keys") {
    attempt_limiter limiter(1, 60s, 100);
    for (int i = 0; i < 1000; ++i) limiter.record_failure("key" + std::to_string(i), t0);
    CHECK(limiter.size() == 100);
    CHECK(limiter.blocked("key999", t0));
    CHECK(limiter.blocked("key900", t0));
    CHECK_FALSE(limiter.blocked("key899", t0));
    CHECK_FALSE(limiter.blocked("key0", t0));
}

TEST_CASE("when full, the least recently failing key that is not blocked is forgotten") {
    attempt_limiter limiter(2, 60s, 2);
    limiter.record_failure("a", t0);
    limiter.record_failure("b", t0 + 1s);
    limiter.record_failure("a", t0 + 2s);  // a is blocked and now the most recent
    limiter.record_failure("c", t0 + 3s);  // evicts b
    CHECK(limiter.size() == 2);
    CHECK(limiter.blocked("a", t0 + 3s));
    limiter.record_failure("b", t0 + 4s);  // b starts over: one failure, evicts c, not blocked a
    CHECK_FALSE(limiter.blocked("b", t0 + 4s));
    CHECK(limiter.blocked("a", t0 + 4s));
}

TEST_CASE("expired keys are dropped") {
    attempt_limiter limiter(3, 60s);
    for (int i = 0; i < 50; ++i) limiter.record_failure("key" + std::to_string(i), t0);
    CHECK(limiter.size() == 50);
    limiter.record_failure("late", t0 + 60s);
    CHECK(limiter.size() == 1);
    CHECK_FALSE(limiter.blocked("late", t0 + 60s));
}

TEST_CASE("failures recorded from several threads all count") {
    constexpr int threads = 4;
    constexpr int per_thread = 500;
    // Blocked at the very last failure, not one before: no update is lost
    // or counted twice.
    attempt_limiter limiter(threads * per_thread + 1, 60s, 1000);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&limiter, t] {
            for (int i = 0; i < per_thread; ++i) {
                limiter.record_failure("shared", t0);
                // Other keys at the same time, more than max_keys of them;
                // "shared" fails every other call, so eviction never reaches it.
                limiter.record_failure("t" + std::to_string(t) + '-' + std::to_string(i), t0);
                (void)limiter.blocked("shared", t0);
            }
        });
    }
    for (auto& w : workers) w.join();
    CHECK(limiter.size() <= 1000);
    CHECK_FALSE(limiter.blocked("shared", t0));
    limiter.record_failure("shared", t0);
    CHECK(limiter.blocked("shared", t0));
}
