#pragma once

// Server counters for Prometheus, in the text exposition format 0.0.4.
// Every update is one relaxed atomic operation: metrics are bumped on the hot
// path from several io threads and must never take a lock or allocate.
// A scrape reads each value once; values of different metrics are not a
// consistent snapshot of one instant, which Prometheus does not expect anyway.

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ruche::server {

// Content-Type of the /metrics response.
inline constexpr std::string_view metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

// Only ever goes up.
class counter {
  public:
    void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> value_{0};
};

// Goes up and down: things currently open, loaded or queued.
class gauge {
  public:
    void add(std::int64_t n) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    void sub(std::int64_t n) noexcept { value_.fetch_sub(n, std::memory_order_relaxed); }
    void set(std::int64_t n) noexcept { value_.store(n, std::memory_order_relaxed); }
    std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::int64_t> value_{0};
};

// Counts observations into buckets with fixed upper bounds, plus their sum.
class histogram {
  public:
    // Upper bounds of the finite buckets; they are sorted, duplicates and
    // non-finite values dropped. The +Inf bucket is always there.
    explicit histogram(std::vector<double> upper_bounds);

    // Adds one observation to the first bucket whose bound is >= value. NaN is
    // ignored: it would turn the sum into NaN for the life of the process.
    void observe(double value) noexcept;

    const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
    // Cumulative counts, one per finite bound then one for +Inf (== count()).
    std::vector<std::uint64_t> cumulative_counts() const;
    std::uint64_t count() const noexcept;
    double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

  private:
    std::vector<double> bounds_;
    // Per-bucket (not cumulative) counts, the last one for +Inf; cumulative
    // sums are made when read so that an observation is a single increment.
    std::vector<std::atomic<std::uint64_t>> buckets_;
    std::atomic<double> sum_{0.0};
};

// Bucket bounds, in seconds, for durations of fast local operations.
std::vector<double> latency_buckets();

struct metrics {
    gauge connections;                    // ruche_connections
    counter connections_total;            // ruche_connections_total
    counter http_requests_total;          // ruche_http_requests_total
    gauge sessions_loaded;                // ruche_sessions_loaded
    counter sessions_created_total;       // ruche_sessions_created_total
    counter sessions_expired_total;       // ruche_sessions_expired_total
    counter ops_applied_total;            // ruche_ops_applied_total
    counter ops_rejected_total;           // ruche_ops_rejected_total
    counter ops_duplicate_total;          // ruche_ops_duplicate_total
    counter frames_sent_total;            // ruche_frames_sent_total
    gauge bytes_queued;                   // ruche_bytes_queued
    counter slow_consumers_closed_total;  // ruche_slow_consumers_closed_total
    counter rate_limited_total;           // ruche_rate_limited_total
    gauge storage_writable;               // ruche_storage_writable (1 or 0)
    gauge storage_write_failures;         // ruche_storage_write_failures_total
    gauge imports_under_way;              // ruche_imports_under_way
    histogram op_log_append_seconds{latency_buckets()};
    histogram op_log_append_batch_size{{1, 2, 5, 10, 20, 50, 100}};

    // Every metric with its # HELP and # TYPE lines.
    std::string render() const;
};

}  // namespace ruche::server
