#pragma once

// The control socket: a Unix socket in the data directory through which the
// `ruche backup` command asks the running server for a backup of its op log
// (the server holds the database; no other process may open it meanwhile).
// Only who may open the socket file, mode 0600, may ask: the server's own
// user, or root. One JSON line each way:
//
//   → {"command": "backup", "directory": "/var/backups/ruche", "keep": 7}
//   ← {"ok": true, "backup": {"id": 3, "time": 1764164700, "bytes": 123456, "files": 12}}
//   ← {"ok": false, "error": "no space left on the storage device"}

#include <boost/asio/local/stream_protocol.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <system_error>

#include "ruche/storage/op_log.hpp"

namespace ruche::server {

struct app;

class control_listener : public std::enable_shared_from_this<control_listener> {
  public:
    // Listens on `path`, replacing a socket file a stopped server left.
    control_listener(app& a, std::string path, boost::system::error_code& ec);
    void run();
    // Stops accepting and removes the socket file.
    void stop();

  private:
    void do_accept();

    app& app_;
    std::string path_;
    boost::asio::local::stream_protocol::acceptor acceptor_;
};

// What a server answered to a request for a backup.
struct backup_reply {
    bool ok = false;
    std::string error;  // when not ok
    storage::backup_info backup;
};

// Asks the server listening on `socket_path` for a backup into `directory`
// (an absolute path: the server's working directory is not the caller's).
// An error code means no server answered there (none is running, or the
// socket is not ours to open); otherwise `out` says how the backup went.
std::error_code ask_for_backup(const std::string& socket_path, const std::string& directory,
                               std::uint32_t keep, backup_reply& out);

// Where a server whose data directory is `data_dir` listens.
std::string control_socket_path(const std::string& data_dir);

}  // namespace ruche::server
