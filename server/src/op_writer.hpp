#pragma once

// The durability stage. One thread appends what every room hands it: all the
// requests waiting when it wakes go into one write (one WAL write, one fsync
// in `fsync` mode), so sessions share their commits. Each request is called
// back on this thread once durable (or refused); rooms post the answer back
// to their strands. Nothing on a network thread waits for the disk.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "ruche/storage/op_log.hpp"

namespace ruche::server {

struct metrics;

class op_writer {
  public:
    struct request {
        std::string session;
        std::vector<storage::record> records;
        std::optional<storage::checkpoint> cp;
        std::optional<std::string> metadata;
        std::function<void(std::error_code)> done;  // runs on the writer thread
    };

    op_writer(storage::op_log& log, metrics& m);
    ~op_writer();  // writes what is queued, then stops
    op_writer(const op_writer&) = delete;
    op_writer& operator=(const op_writer&) = delete;

    // Callers keep at most one request per session in flight.
    void submit(request r);
    // From now on the session's requests are refused (errc::not_found) and
    // none of them is being written when this returns: the session can be
    // deleted.
    void retire(const std::string& session);
    // Writes what is queued and stops the thread.
    void stop();

  private:
    void run();
    void write(std::vector<request>& group);
    // Logs (once) that the log stopped or started writing again; metrics.
    void note_health(std::error_code ec);

    storage::op_log& log_;
    metrics& metrics_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::vector<request> queue_;
    std::set<std::string, std::less<>> retired_;
    bool writing_ = false;
    bool stopping_ = false;
    bool writable_ = true;  // as last logged; the writer thread's own
    std::thread thread_;
};

}  // namespace ruche::server
