#pragma once

// A running Ruche server: one port for HTTP and WebSocket, an io_context on
// several threads, the rooms of the sessions in use. Used by `main` and by
// the integration tests, which start it on an ephemeral port.

#include <memory>
#include <string>
#include <system_error>

#include "ruche/storage/op_log.hpp"

namespace ruche::server {

struct config;  // ruche/server/config.hpp

class server {
  public:
    // `log` must outlive the server.
    server(const config& cfg, storage::op_log& log);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    // Binds and listens; afterwards `port()` and `public_url()` are known.
    std::error_code start();
    std::uint16_t port() const;
    const std::string& public_url() const;

    // Erases the sessions whose retention period is over, now (the server
    // also does it at start and every `retention_sweep_every`); returns how
    // many. Blocking; thread-safe.
    std::size_t erase_expired();

    // Reads the HTTPS certificate and key again (what SIGHUP does): new
    // connections get them, open ones keep theirs. False, and the previous
    // pair kept, when they cannot be read. Thread-safe.
    bool reload_tls();

    // Serves on `threads` threads (0: one per core) until stopped, or until
    // SIGINT/SIGTERM when asked (SIGHUP then reloads the HTTPS certificate).
    // Blocks; flushes the op log before returning.
    void run(unsigned threads = 0, bool stop_on_signals = false);

    // Graceful stop, from any thread or a signal handler's completion: stop
    // accepting, record departures, close connections with 1001, then let
    // `run` return once they are gone (or after a grace period).
    void stop();

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace ruche::server
