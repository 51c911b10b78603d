#include "metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>

namespace ruche::server {

// The header promises updates without locks.
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic<std::int64_t>::is_always_lock_free);
static_assert(std::atomic<double>::is_always_lock_free);

namespace {

std::vector<double> normalized_bounds(std::vector<double> bounds) {
    std::erase_if(bounds, [](double b) { return !std::isfinite(b); });
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    return bounds;
}

// Numbers as Prometheus parses them: shortest round-trip form, and the
// spellings it uses for infinities and NaN.
void append_number(std::string& out, double value) {
    if (std::isnan(value)) {
        out += "NaN";
    } else if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
    } else {
        // Plain decimals ("0.0001", not "1e-04") read better in bucket labels;
        // far-out magnitudes fall back to the shortest form to stay short.
        const double magnitude = std::fabs(value);
        const bool plain = value == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
        char buffer[64];
        const auto result = plain ? std::to_chars(std::begin(buffer), std::end(buffer), value,
                                                  std::chars_format::fixed)
                                  : std::to_chars(std::begin(buffer), std::end(buffer), value);
        out.append(buffer, result.ptr);
    }
}

template <typename Integer>
void append_integer(std::string& out, Integer value) {
    char buffer[24];
    const auto result = std::to_chars(std::begin(buffer), std::end(buffer), value);
    out.append(buffer, result.ptr);
}

void append_header(std::string& out, std::string_view name, std::string_view help,
                   std::string_view type) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void append_counter(std::string& out, std::string_view name, std::string_view help,
                    const counter& c) {
    append_header(out, name, help, "counter");
    out += name;
    out += ' ';
    append_integer(out, c.value());
    out += '\n';
}

void append_gauge(std::string& out, std::string_view name, std::string_view help, const gauge& g) {
    append_header(out, name, help, "gauge");
    out += name;
    out += ' ';
    append_integer(out, g.value());
    out += '\n';
}

void append_histogram(std::string& out, std::string_view name, std::string_view help,
                      const histogram& h) {
    append_header(out, name, help, "histogram");
    const auto counts = h.cumulative_counts();
    const auto& bounds = h.upper_bounds();
    for (std::size_t i = 0; i < counts.size(); ++i) {
        out += name;
        out += "_bucket{le=\"";
        if (i < bounds.size()) {
            append_number(out, bounds[i]);
        } else {
            out += "+Inf";
        }
        out += "\"} ";
        append_integer(out, counts[i]);
        out += '\n';
    }
    out += name;
    out += "_sum ";
    append_number(out, h.sum());
    out += '\n';
    out += name;
    // The +Inf bucket, so that the two always agree within one scrape.
    out += "_count ";
    append_integer(out, counts.back());
    out += '\n';
}

}  // namespace

histogram::histogram(std::vector<double> upper_bounds)
    : bounds_(normalized_bounds(std::move(upper_bounds))), buckets_(bounds_.size() + 1) {}

void histogram::observe(double value) noexcept {
    if (std::isnan(value)) return;
    const auto bound = std::lower_bound(bounds_.begin(), bounds_.end(), value);
    buckets_[static_cast<std::size_t>(bound - bounds_.begin())].fetch_add(
        1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
}

std::vector<std::uint64_t> histogram::cumulative_counts() const {
    std::vector<std::uint64_t> counts;
    counts.reserve(buckets_.size());
    std::uint64_t running = 0;
    for (const auto& bucket : buckets_) {
        running += bucket.load(std::memory_order_relaxed);
        counts.push_back(running);
    }
    return counts;
}

std::uint64_t histogram::count() const noexcept {
    std::uint64_t total = 0;
    for (const auto& bucket : buckets_) total += bucket.load(std::memory_order_relaxed);
    return total;
}

std::vector<double> latency_buckets() {
    return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
            0.01,    0.025,  0.05,    0.1,    0.25,  0.5,    1.0};
}

std::string metrics::render() const {
    std::string out;
    out.reserve(4096);
    append_gauge(out, "ruche_connections", "Open WebSocket connections.", connections);
    append_counter(out, "ruche_connections_total", "WebSocket connections accepted.",
                   connections_total);
    append_counter(out, "ruche_http_requests_total", "HTTP requests received.",
                   http_requests_total);
    append_gauge(out, "ruche_sessions_loaded", "Board sessions held in memory.", sessions_loaded);
    append_counter(out, "ruche_sessions_created_total", "Board sessions created.",
                   sessions_created_total);
    append_counter(out, "ruche_sessions_expired_total",
                   "Board sessions erased at the end of their retention period.", sessions_expired_total);
    append_counter(out, "ruche_ops_applied_total", "Operations applied and logged.",
                   ops_applied_total);
    append_counter(out, "ruche_ops_rejected_total", "Operations refused with an error.",
                   ops_rejected_total);
    append_counter(out, "ruche_ops_duplicate_total",
                   "Retried operations acknowledged again without applying them twice.",
                   ops_duplicate_total);
    append_counter(out, "ruche_frames_sent_total", "WebSocket frames sent.", frames_sent_total);
    append_gauge(out, "ruche_bytes_queued", "Bytes waiting in WebSocket send queues.",
                 bytes_queued);
    append_counter(out, "ruche_slow_consumers_closed_total",
                   "Connections closed because their send queue was full.",
                   slow_consumers_closed_total);
    append_counter(out, "ruche_rate_limited_total",
                   "Requests or operations refused by a rate limit.", rate_limited_total);
    append_gauge(out, "ruche_storage_writable",
                 "1 while the op log can write; 0 after a failed write (a full disk) until it can again.",
                 storage_writable);
    append_gauge(out, "ruche_storage_write_failures_total",
                 "Op log writes that failed (disk full, I/O error) since start.",
                 storage_write_failures);
    append_gauge(out, "ruche_imports_under_way",
                 "Session imports being received or waiting for the importer.", imports_under_way);
    append_histogram(out, "ruche_op_log_append_seconds",
                     "Time to append a batch of operations to the op log.", op_log_append_seconds);
    append_histogram(out, "ruche_op_log_append_batch_size", "Operations per op log append.",
                     op_log_append_batch_size);
    return out;
}

}  // namespace ruche::server
