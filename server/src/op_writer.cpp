#include "op_writer.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "metrics.hpp"

namespace ruche::server {

op_writer::op_writer(storage::op_log& log, metrics& m)
    : log_(log), metrics_(m), thread_([this] { run(); }) {}

op_writer::~op_writer() {
    stop();
}

void op_writer::submit(request r) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            queue_.push_back(std::move(r));
            wake_.notify_one();
            return;
        }
    }
    r.done(make_error_code(storage::errc::busy));  // stopping: nothing more is written
}

void op_writer::retire(const std::string& session) {
    std::unique_lock lock(mutex_);
    retired_.insert(session);
    // A group being written may hold one of its requests: wait for it.
    idle_.wait(lock, [&] { return !writing_; });
}

void op_writer::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
        wake_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
}

void op_writer::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything is written
        std::vector<request> group;
        group.swap(queue_);
        // Requests of retired sessions are refused, never written.
        std::vector<request> refused;
        std::erase_if(group, [&](request& r) {
            if (!retired_.count(r.session)) return false;
            refused.push_back(std::move(r));
            return true;
        });
        writing_ = true;
        lock.unlock();
        for (auto& r : refused) r.done(make_error_code(storage::errc::not_found));
        write(group);
        lock.lock();
        writing_ = false;
        idle_.notify_all();
    }
}

void op_writer::write(std::vector<request>& group) {
    if (group.empty()) return;
    std::vector<storage::session_append> parts;
    parts.reserve(group.size());
    std::size_t ops = 0;
    for (const auto& r : group) {
        parts.push_back({r.session, &r.records, r.cp ? &*r.cp : nullptr,
                         r.metadata ? &*r.metadata : nullptr});
        ops += r.records.size();
    }
    const auto started = std::chrono::steady_clock::now();
    auto ec = log_.append_all(parts);
    metrics_.op_log_append_seconds.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    metrics_.op_log_append_batch_size.observe(static_cast<double>(ops));
    if (!ec || group.size() == 1) {
        note_health(ec);
        for (auto& r : group) r.done(ec);
        return;
    }
    // One refused part refuses the whole write: write each alone, so only
    // the session at fault hears about it.
    for (std::size_t i = 0; i < group.size(); ++i) {
        const auto part_ec = log_.append_all({parts[i]});
        note_health(part_ec);
        group[i].done(part_ec);
    }
}

void op_writer::note_health(std::error_code ec) {
    const auto health = log_.health();
    metrics_.storage_writable.set(health.writable ? 1 : 0);
    metrics_.storage_write_failures.set(static_cast<std::int64_t>(health.failures));
    if (health.writable == writable_) return;
    writable_ = health.writable;
    if (!writable_) {
        spdlog::error("the op log cannot write ({}): operations are refused with "
                      "storage_unavailable until it can; reads and exports go on",
                      ec.message());
    } else {
        spdlog::warn("the op log writes again ({} failed writes in all)", health.failures);
    }
}

}  // namespace ruche::server
